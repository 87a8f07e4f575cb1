package dev.multitask.hazelcast;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.multitask.function.SerializableCallable;
import dev.multitask.function.SerializableFunction;
import dev.multitask.ipc.SerializationException;
import dev.multitask.pool.internal.PoolBackend;
import dev.multitask.pool.internal.Result;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Runs tasks on a Hazelcast cluster through one {@link IExecutorService} of its own: at most
 * {@code workers} tasks in flight, the rest queued here (so {@code close} and
 * {@code terminate} act on them locally). A task whose member left the cluster before
 * answering is sent again to another member — so a task may <em>run</em> more than once when
 * a member dies, but its result is reported exactly once; with no member left it fails with a
 * {@link ClusterUnavailableException}.
 */
final class ClusterEngine implements PoolBackend, dev.multitask.pool.internal.Engine {
    /** How many times one task is re-sent after losing its member before giving up. */
    private static final int MAX_ATTEMPTS = 16;

    private final HazelcastInstance hz;
    private final IExecutorService executor;
    private final int workers;
    private final AutoCloseable owned;
    private final UUID listener;
    private final UUID lifecycleListener;
    /** A client that lost its connection to every member: tasks fail at once until it is back. */
    private volatile boolean disconnected;

    private final ArrayDeque<Job<?>> queue = new ArrayDeque<>();
    private final Set<Job<?>> inFlight = new LinkedHashSet<>();
    private boolean closed;
    private boolean released;
    /** terminate() was called: a lost member's tasks are not re-sent. */
    private volatile boolean terminated;

    /** One task (or chunk): what to send, where its result goes, and the remote future. */
    private static final class Job<R> {
        final Envelope envelope;
        final Result<R> result = new Result<>();
        volatile Future<byte[]> remote;
        /** Set by whoever handles the answer of the current attempt first: the callback or a waiting caller. */
        final java.util.concurrent.atomic.AtomicReference<Future<byte[]>> handled = new java.util.concurrent.atomic.AtomicReference<>();
        int attempts;

        Job(Envelope envelope) {
            this.envelope = envelope;
        }
    }

    ClusterEngine(HazelcastInstance hz, int workers, AutoCloseable owned) {
        this.hz = Objects.requireNonNull(hz, "hazelcastInstance");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        this.workers = workers;
        this.owned = owned;
        this.executor = hz.getExecutorService("multitask-" + UUID.randomUUID());
        this.lifecycleListener = hz.getLifecycleService().addLifecycleListener(e -> {
            switch (e.getState()) {
                case CLIENT_DISCONNECTED -> {
                    disconnected = true;
                    failEverything(new ClusterUnavailableException("this client lost its connection to every member of the cluster"));
                }
                case CLIENT_CONNECTED -> disconnected = false;
                default -> {
                }
            }
        });
        this.listener = hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                if (e.getMembers().isEmpty()) {
                    failEverything(new ClusterUnavailableException("the last member of the cluster (" + e.getMember()
                            + ") left; no member is left to run the task"));
                }
            }
        });
    }

    int size() {
        return workers;
    }

    @Override
    public int parallelism() {
        return workers;
    }

    @Override
    public <R> Result<R> submitCall(SerializableCallable<? extends R> task) {
        Objects.requireNonNull(task, "task");
        return enqueue(new Job<>(Envelope.call(task)));
    }

    @Override
    public ChunkRunner chunkRunner(SerializableFunction<Object, Object> fn) {
        byte[] f = Envelope.encode(fn);
        return items -> enqueue(new Job<>(Envelope.chunk(f, items)));
    }

    private <R> Result<R> enqueue(Job<R> job) {
        // a caller waiting on the result takes the answer from the remote future itself: one
        // thread hand-off less than waiting for Hazelcast's callback (about half the round trip)
        job.result.helper(deadline -> {
            Future<byte[]> f = job.remote;
            if (f == null || job.handled.get() == f) {
                return;
            }
            try {
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                byte[] b = left == Long.MAX_VALUE ? f.get() : f.get(Math.max(0, left), java.util.concurrent.TimeUnit.NANOSECONDS);
                onAnswer(job, f, b, null);
            } catch (ExecutionException e) {
                onAnswer(job, f, null, e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                // the caller's own timeout: it will report it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (CancellationException e) {
                onAnswer(job, f, null, e);
            } catch (RuntimeException e) {
                onAnswer(job, f, null, e);
            }
        });
        job.result.onCancel(mayInterrupt -> {
            Future<byte[]> r = job.remote;
            if (r != null) {
                r.cancel(mayInterrupt);
            }
            synchronized (this) {
                queue.remove(job);
            }
        });
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the cluster pool is closed and accepts no new tasks; create a new pool");
            }
            queue.add(job);
        }
        dispatch();
        return job.result;
    }

    private void dispatch() {
        for (;;) {
            Job<?> job;
            synchronized (this) {
                if (inFlight.size() >= workers || queue.isEmpty()) {
                    return;
                }
                job = queue.poll();
                if (job.result.isDone()) {
                    continue;
                }
                inFlight.add(job);
            }
            send(job);
        }
    }

    private <R> void send(Job<R> job) {
        if (disconnected) {
            finish(job, new ClusterUnavailableException("this client is not connected to any member of the cluster"));
            return;
        }
        if (hz.getCluster().getMembers().isEmpty()) {
            finish(job, new ClusterUnavailableException("the cluster has no member to run the task on"));
            return;
        }
        Future<byte[]> f;
        try {
            f = executor.submit(job.envelope);
        } catch (RuntimeException e) {
            onAnswer(job, null, null, e);
            return;
        }
        job.remote = f;
        if (f instanceof CompletionStage<?> cs) {
            @SuppressWarnings("unchecked")
            CompletionStage<byte[]> stage = (CompletionStage<byte[]>) cs;
            stage.whenComplete((bytes, err) -> onAnswer(job, f, bytes, err));
        } else {
            Thread.ofVirtual().start(() -> {
                try {
                    onAnswer(job, f, f.get(), null);
                } catch (ExecutionException e) {
                    onAnswer(job, f, null, e.getCause());
                } catch (Throwable e) {
                    onAnswer(job, f, null, e);
                }
            });
        }
    }

    private static boolean memberLost(Throwable t) {
        return t instanceof MemberLeftException || t instanceof TargetNotMemberException
                || t instanceof TargetDisconnectedException || t instanceof HazelcastInstanceNotActiveException
                || t instanceof com.hazelcast.client.HazelcastClientNotActiveException
                || t instanceof com.hazelcast.client.HazelcastClientOfflineException;
    }

    private <R> void onAnswer(Job<R> job, Future<byte[]> attempt, byte[] bytes, Throwable err) {
        if (attempt != null && (job.remote != attempt || job.handled.getAndSet(attempt) == attempt)) {
            return; // a stale attempt, or this attempt's answer was handled already (callback or waiting caller)
        }
        if (job.result.isDone()) { // cancelled or terminated meanwhile
            done(job);
            return;
        }
        Throwable e = err;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e != null) {
            if (e instanceof CancellationException c) {
                finish(job, c);
            } else if (disconnected || e instanceof com.hazelcast.core.OperationTimeoutException
                    || e instanceof com.hazelcast.client.HazelcastClientOfflineException) {
                finish(job, new ClusterUnavailableException("no member of the cluster answered: " + e.getMessage(), e));
            } else if (memberLost(e) && !terminated) {
                if (++job.attempts > MAX_ATTEMPTS) {
                    finish(job, new ClusterUnavailableException("the task lost its member " + MAX_ATTEMPTS + " times", e));
                } else if (hz.getLifecycleService().isRunning() && !hz.getCluster().getMembers().isEmpty()) {
                    send(job); // the member left before answering: run it on another one
                } else {
                    finish(job, new ClusterUnavailableException("no member is left to run the task (its member left: " + e + ")", e));
                }
            } else if (e instanceof HazelcastSerializationException) {
                finish(job, new SerializationException("a cluster member could not read the task: " + e.getMessage()
                        + "; every member needs multitask-hazelcast and the task's classes on its class path", null, e));
            } else {
                finish(job, e);
            }
            return;
        }
        try {
            Object v = Envelope.decode(java.util.Arrays.copyOfRange(bytes, 1, bytes.length));
            if (bytes[0] == Envelope.OK) {
                @SuppressWarnings("unchecked")
                R r = (R) v;
                job.result.complete(r);
                done(job);
            } else {
                finish(job, (Throwable) v);
            }
        } catch (ClassNotFoundException ex) {
            finish(job, new SerializationException("class " + ex.getMessage() + " of the task's answer is not on this JVM's class path",
                    ex.getMessage(), ex));
        } catch (Exception ex) {
            finish(job, new SerializationException("cannot read the task's answer: " + ex, null, ex));
        }
    }

    private void finish(Job<?> job, Throwable t) {
        job.result.completeExceptionally(t);
        done(job);
    }

    private void done(Job<?> job) {
        synchronized (this) {
            inFlight.remove(job);
            notifyAll();
        }
        dispatch();
    }

    private void failEverything(Throwable t) {
        List<Job<?>> all;
        synchronized (this) {
            all = new java.util.ArrayList<>(inFlight);
            all.addAll(queue);
            queue.clear();
        }
        for (Job<?> j : all) {
            finish(j, t);
        }
    }

    // ------------------------------------------------------------ lifecycle

    @Override
    public synchronized boolean isShutdown() {
        return closed;
    }

    @Override
    public void beginClose() {
        synchronized (this) {
            closed = true;
        }
    }

    /** Finishes queued work, then releases what the engine owns. */
    @Override
    public void close() {
        beginClose();
        synchronized (this) {
            boolean interrupted = false;
            while (!queue.isEmpty() || !inFlight.isEmpty()) {
                try {
                    wait(1000);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        release();
    }

    /** Cancels queued and running tasks, then releases what the engine owns. */
    @Override
    public void terminate() {
        terminated = true;
        List<Job<?>> all;
        synchronized (this) {
            closed = true;
            all = new java.util.ArrayList<>(queue);
            all.addAll(inFlight);
            queue.clear();
        }
        for (Job<?> j : all) {
            j.result.completeExceptionally(new CancellationException("the pool was terminated"));
            Future<byte[]> r = j.remote;
            if (r != null) {
                r.cancel(true);
            }
        }
        synchronized (this) {
            inFlight.clear();
            notifyAll();
        }
        release();
    }

    private void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
            notifyAll();
        }
        try {
            hz.getCluster().removeMembershipListener(listener);
            hz.getLifecycleService().removeLifecycleListener(lifecycleListener);
        } catch (RuntimeException e) {
            // the instance may be gone already
        }
        if (!disconnected && owned == null && hz.getLifecycleService().isRunning()) {
            // frees the members' threads of this pool's executor; never let close() wait on the cluster for it
            Thread.ofVirtual().start(() -> {
                try {
                    executor.shutdown();
                } catch (RuntimeException e) {
                    // the cluster may be gone
                }
            });
        }
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                // best effort: the members are killed by their own parent-death watch anyway
            }
        }
    }

    /** Waits until released after close or terminate (Pool.join: an error while running). */
    synchronized boolean awaitReleased(Duration timeout) throws InterruptedException {
        if (!closed) {
            throw new IllegalStateException("the pool is still running; call close() or terminate() before join()");
        }
        return awaitTerminated(timeout.toNanos());
    }

    /** Waits at most {@code nanos} until closed or terminated and released; false while running. */
    @Override
    public synchronized boolean awaitTerminated(long nanos) throws InterruptedException {
        if (!closed) {
            return false;
        }
        long deadline = System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
        while (!released || !inFlight.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
