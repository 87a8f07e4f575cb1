package dev.multitask.async;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Queue;

/**
 * A queue between tasks: asyncio's {@code Queue}, {@code PriorityQueue} ({@link #priority})
 * and {@code LifoQueue} ({@link #lifo}). {@link #put} waits while the queue is full,
 * {@link #get} while it is empty, both without holding the loop; {@link #taskDone()} and
 * {@link #join()} count unfinished items as {@code JoinableQueue} does. The non-waiting methods
 * may be called from any thread.
 *
 * @param <T> the element type; null elements are refused
 */
public final class AsyncQueue<T> {
    private final int maxsize;
    private final Queue<T> items;
    private final boolean lifo;
    private final ArrayDeque<Task<?>> getters = new ArrayDeque<>();
    private final ArrayDeque<Task<?>> putters = new ArrayDeque<>();
    private final List<Task<?>> joiners = new ArrayList<>();
    private long unfinished;

    /** An unbounded FIFO queue. */
    public AsyncQueue() {
        this(0);
    }

    /** A FIFO queue of at most {@code maxsize} items ({@code 0}: unbounded). */
    public AsyncQueue(int maxsize) {
        this(maxsize, new ArrayDeque<>(), false);
    }

    private AsyncQueue(int maxsize, Queue<T> items, boolean lifo) {
        if (maxsize < 0) {
            throw new IllegalArgumentException("maxsize must not be negative (0: unbounded), got " + maxsize);
        }
        this.maxsize = maxsize;
        this.items = items;
        this.lifo = lifo;
    }

    /** A queue that hands out the smallest item first ({@code asyncio.PriorityQueue}). */
    public static <T extends Comparable<? super T>> AsyncQueue<T> priority(int maxsize) {
        return new AsyncQueue<>(maxsize, new PriorityQueue<>(), false);
    }

    /** A queue that hands out the smallest item by {@code order} first. */
    public static <T> AsyncQueue<T> priority(int maxsize, Comparator<? super T> order) {
        return new AsyncQueue<>(maxsize, new PriorityQueue<>(order), false);
    }

    /** A queue that hands out the last item put first ({@code asyncio.LifoQueue}). */
    public static <T> AsyncQueue<T> lifo(int maxsize) {
        return new AsyncQueue<>(maxsize, new ArrayDeque<>(), true);
    }

    /** The bound given at creation (0: unbounded). */
    public int maxsize() {
        return maxsize;
    }

    public synchronized int size() {
        return items.size();
    }

    public synchronized boolean isEmpty() {
        return items.isEmpty();
    }

    /** Whether a put would wait ({@code full()}). */
    public synchronized boolean isFull() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    /** Puts {@code item}, waiting while the queue is full. */
    public void put(T item) {
        java.util.Objects.requireNonNull(item, "AsyncQueue refuses null items");
        Task<?> me = Async.requireCurrent("AsyncQueue.put()");
        for (;;) {
            me.checkCancelled();
            synchronized (this) {
                if (!(maxsize > 0 && items.size() >= maxsize)) {
                    add(item);
                    return;
                }
                putters.add(me);
            }
            try {
                me.park();
            } finally {
                synchronized (this) {
                    putters.remove(me);
                }
            }
        }
    }

    /** Puts {@code item} if there is room now; false otherwise ({@link #putNowait} that does not throw). */
    public boolean offer(T item) {
        java.util.Objects.requireNonNull(item, "AsyncQueue refuses null items");
        synchronized (this) {
            if (maxsize > 0 && items.size() >= maxsize) {
                return false;
            }
            add(item);
            return true;
        }
    }

    /**
     * Puts {@code item} without waiting ({@code put_nowait}).
     *
     * @throws IllegalStateException if the queue is full (asyncio's {@code QueueFull})
     */
    public void putNowait(T item) {
        if (!offer(item)) {
            throw new IllegalStateException("the AsyncQueue is full (" + maxsize + " items)");
        }
    }

    private void add(T item) { // holds the monitor
        if (lifo) {
            ((ArrayDeque<T>) items).addFirst(item);
        } else {
            items.add(item);
        }
        unfinished++;
        Task<?> g = getters.poll();
        if (g != null) {
            g.wake();
        }
    }

    /** Takes the next item, waiting while the queue is empty. */
    public T get() {
        Task<?> me = Async.requireCurrent("AsyncQueue.get()");
        for (;;) {
            me.checkCancelled();
            synchronized (this) {
                T t = take();
                if (t != null) {
                    return t;
                }
                getters.add(me);
            }
            try {
                me.park();
            } finally {
                synchronized (this) {
                    getters.remove(me);
                }
            }
        }
    }

    /** Takes the next item, waiting at most {@code timeout}; null if none came. */
    public T get(Duration timeout) {
        Task<?> me = Async.requireCurrent("AsyncQueue.get()");
        long deadline = Waiter.deadline(timeout);
        Object[] got = new Object[1];
        me.parkUntil(() -> {
            synchronized (this) {
                getters.remove(me);
                T t = take();
                if (t != null) {
                    got[0] = t;
                    return true;
                }
                getters.add(me);
                return false;
            }
        }, deadline);
        synchronized (this) {
            getters.remove(me);
        }
        @SuppressWarnings("unchecked")
        T t = (T) got[0];
        return t;
    }

    /** The next item if there is one now, else null. */
    public synchronized T poll() {
        return take();
    }

    /**
     * The next item without waiting ({@code get_nowait}).
     *
     * @throws NoSuchElementException if the queue is empty (asyncio's {@code QueueEmpty})
     */
    public T getNowait() {
        T t = poll();
        if (t == null) {
            throw new NoSuchElementException("the AsyncQueue is empty");
        }
        return t;
    }

    private T take() { // holds the monitor
        T t = items.poll();
        if (t != null) {
            Task<?> p = putters.poll();
            if (p != null) {
                p.wake();
            }
        }
        return t;
    }

    /** Marks one item taken earlier as processed ({@code task_done}). */
    public void taskDone() {
        List<Task<?>> wake = null;
        synchronized (this) {
            if (unfinished <= 0) {
                throw new IllegalStateException("taskDone() called more times than items were put");
            }
            if (--unfinished == 0) {
                wake = new ArrayList<>(joiners);
                joiners.clear();
            }
        }
        if (wake != null) {
            for (Task<?> t : wake) {
                t.wake();
            }
        }
    }

    /** Waits until every item put has been marked {@linkplain #taskDone() done}. */
    public void join() {
        Task<?> me = Async.requireCurrent("AsyncQueue.join()");
        synchronized (this) {
            if (unfinished == 0) {
                return;
            }
            joiners.add(me);
        }
        try {
            me.parkUntil(this::allDone, Long.MAX_VALUE);
        } finally {
            synchronized (this) {
                joiners.remove(me);
            }
        }
    }

    private synchronized boolean allDone() {
        return unfinished == 0;
    }

    @Override
    public synchronized String toString() {
        return "AsyncQueue[" + items.size() + (maxsize > 0 ? "/" + maxsize : "") + " items, " + unfinished + " unfinished]";
    }
}
