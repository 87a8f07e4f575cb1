package dev.multitask.async;

import java.util.PriorityQueue;

/**
 * The loop's timers: a hashed timing wheel of {@link #SLOTS} one-millisecond slots for
 * deadlines within the wheel's span (about four seconds ahead), and a heap for later ones that
 * moves them into the wheel as their slot comes into range. Adding and firing a timer is O(1)
 * in the wheel; a million timers cost one small object each and no rebalancing.
 *
 * <p>Not thread-safe: the loop calls it only from the thread that holds the loop (in the default
 * mode) or under the loop's timer lock (in the parallel mode). Deadlines are
 * {@link System#nanoTime()} values; a timer fires at the first tick at or after its deadline,
 * so never early and at most one tick late plus the scheduling delay.
 */
final class TimerWheel {
    static final int SLOTS = 4096;
    private static final int MASK = SLOTS - 1;
    static final long TICK_NANOS = 1_000_000L;

    /** One pending timer; {@code target} is a {@link Task} to wake or a {@link Runnable} to run. */
    static final class Timer implements TimerHandle {
        final long deadline;
        final Object target;
        Timer next;
        volatile boolean cancelled;
        volatile boolean fired;

        Timer(long deadline, Object target) {
            this.deadline = deadline;
            this.target = target;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean hasFired() {
            return fired;
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }
    }

    private final Timer[] heads = new Timer[SLOTS];
    private final Timer[] tails = new Timer[SLOTS];
    private final PriorityQueue<Timer> later = new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
    private final long origin;
    /** Every tick up to and including this one has been fired. */
    private long firedTick;
    private int inWheel;

    TimerWheel(long now) {
        this.origin = now;
        this.firedTick = tickOf(now) - 1;
    }

    /** The first tick at or after a deadline. */
    private long tickOf(long deadline) {
        long d = deadline - origin;
        return d <= 0 ? 0 : (d + TICK_NANOS - 1) / TICK_NANOS;
    }

    /** The last tick that has begun at {@code now}: every timer of it and before is due. */
    private long nowTick(long now) {
        long d = now - origin;
        return d <= 0 ? 0 : d / TICK_NANOS;
    }

    int size() {
        return inWheel + later.size();
    }

    Timer add(long deadline, Object target) {
        return add(new Timer(deadline, target));
    }

    Timer add(Timer t) {
        long deadline = t.deadline;
        long tick = Math.max(tickOf(deadline), firedTick + 1);
        if (tick - firedTick >= SLOTS) {
            later.add(t);
        } else {
            link(t, tick);
        }
        return t;
    }

    private void link(Timer t, long tick) {
        int s = (int) (tick & MASK);
        if (tails[s] == null) {
            heads[s] = t;
        } else {
            tails[s].next = t;
        }
        tails[s] = t;
        inWheel++;
    }

    /** The deadline of the earliest pending timer, or {@link Long#MAX_VALUE} when there is none. */
    long nextDeadline() {
        if (inWheel > 0) {
            for (long tick = firedTick + 1; tick <= firedTick + SLOTS; tick++) {
                Timer h = heads[(int) (tick & MASK)];
                if (h != null) {
                    return origin + tick * TICK_NANOS;
                }
            }
        }
        Timer l = later.peek();
        return l == null ? Long.MAX_VALUE : l.deadline;
    }

    /** Whether some timer may be due at {@code now}; cheap enough to ask at every task switch. */
    boolean due(long now) {
        return size() > 0 && nowTick(now) > firedTick;
    }

    /** Fires every timer due at {@code now}, in deadline-tick order and, within a tick, in the order added. */
    void advance(long now, java.util.function.Consumer<Timer> fire) {
        long nowTick = nowTick(now);
        while (firedTick < nowTick) {
            if (inWheel == 0) {
                Timer l = later.peek();
                if (l == null || tickOf(l.deadline) > nowTick) {
                    firedTick = nowTick;
                    pullLater();
                    return;
                }
                // skip the empty ticks up to the next heap timer
                firedTick = Math.max(firedTick, tickOf(l.deadline) - SLOTS / 2);
                pullLater();
                continue;
            }
            long tick = firedTick + 1;
            int s = (int) (tick & MASK);
            Timer t = heads[s];
            heads[s] = null;
            tails[s] = null;
            firedTick = tick;
            while (t != null) {
                Timer n = t.next;
                t.next = null;
                inWheel--;
                if (!t.cancelled) {
                    t.fired = true;
                    fire.accept(t);
                }
                t = n;
            }
            pullLater();
        }
    }

    private void pullLater() {
        Timer l;
        while ((l = later.peek()) != null && tickOf(l.deadline) - firedTick < SLOTS) {
            later.poll();
            link(l, Math.max(tickOf(l.deadline), firedTick + 1));
        }
    }
}
