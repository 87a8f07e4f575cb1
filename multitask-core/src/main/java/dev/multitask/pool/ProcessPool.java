package dev.multitask.pool;

import dev.multitask.function.SerializableCallable;
import dev.multitask.function.SerializableFunction;
import dev.multitask.function.SerializableRunnable;
import dev.multitask.ipc.Serializer;
import dev.multitask.pool.internal.PoolBackend;
import dev.multitask.pool.internal.BackedPool;
import dev.multitask.pool.internal.ProcessEngine;
import dev.multitask.pool.internal.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A pool of worker JVMs: Python's {@code multiprocessing.Pool}.
 *
 * <pre>{@code
 * try (var pool = new ProcessPool(4)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));
 *     AsyncResult<String> r = pool.applyAsync(() -> expensive());
 * }
 * }</pre>
 *
 * <p>Each worker is a separate JVM started with this JVM's {@code java} and class path (or a
 * warm spare of one), connected over a private, authenticated Unix domain socket. Tasks and
 * their results travel serialized ({@link Serializer}); what a lambda captures travels with it.
 * Workers start in parallel, in the background: the constructor does not wait for them.
 *
 * <p>Guarantees (see {@link Pool} for the contract): a worker that dies mid-task (exit, halt,
 * SIGKILL, out of memory) fails that task with a
 * {@link dev.multitask.process.WorkerDiedException} and is replaced; a task over
 * {@link Builder#taskTimeout} is stopped by killing its worker; nothing waits forever. Workers
 * exit by themselves if this JVM dies.
 *
 * <p>Thread-safe; any number of threads may submit at once.
 */
public final class ProcessPool extends BackedPool {
    private final ProcessEngine engine;
    private final PoolBackend backend;

    /** A pool with one worker per available processor. */
    public ProcessPool() {
        this(builder());
    }

    /** A pool of {@code processes} workers. */
    public ProcessPool(int processes) {
        this(builder().processes(processes));
    }

    private ProcessPool(Builder b) {
        engine = new ProcessEngine(new ProcessEngine.Config(b.processes, b.maxTasksPerChild, b.initializer,
                b.taskTimeout, b.jvmOptions, b.serializer));
        backend = new PoolBackend() {
            @Override
            public <R> Result<R> submitCall(SerializableCallable<? extends R> task) {
                return engine.submitCall(Objects.requireNonNull(task, "task"));
            }

            @Override
            public ChunkRunner chunkRunner(SerializableFunction<Object, Object> fn) {
                return engine.chunkRunner(fn);
            }

            @Override
            public int parallelism() {
                return engine.size();
            }
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link ProcessPool}; every setter checks its argument at once. */
    public static final class Builder {
        private int processes = Runtime.getRuntime().availableProcessors();
        private int maxTasksPerChild;
        private SerializableRunnable initializer;
        private Duration taskTimeout;
        private List<String> jvmOptions = List.of();
        private Serializer serializer;

        private Builder() {
        }

        /** The number of worker processes (default: one per available processor). */
        public Builder processes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("processes must be at least 1, was " + n);
            }
            this.processes = n;
            return this;
        }

        /** Replace each worker by a fresh JVM after it has run {@code k} tasks (Python's {@code maxtasksperchild}). */
        public Builder maxTasksPerChild(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("maxTasksPerChild must be at least 1, was " + k);
            }
            this.maxTasksPerChild = k;
            return this;
        }

        /**
         * Runs once in each new worker before its first task. If it throws, the pool is broken
         * (see {@link InitializerFailedException}).
         */
        public Builder initializer(SerializableRunnable init) {
            this.initializer = Objects.requireNonNull(init, "initializer");
            return this;
        }

        /** A task running longer is stopped by killing its worker, and fails with a {@link dev.multitask.process.TaskTimeoutException}. */
        public Builder taskTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("taskTimeout must be a positive duration, was " + timeout);
            }
            this.taskTimeout = timeout;
            return this;
        }

        /** Extra options for the worker JVMs, such as {@code -Xmx512m}; they come after the defaults and win. */
        public Builder jvmOptions(String... options) {
            for (String o : options) {
                if (o == null || o.isBlank()) {
                    throw new IllegalArgumentException("a JVM option is null or blank: " + Arrays.toString(options));
                }
            }
            this.jvmOptions = new ArrayList<>(Arrays.asList(options));
            return this;
        }

        /** The serializer for tasks and results; its class must have a public no-argument constructor. */
        public Builder serializer(Serializer s) {
            Objects.requireNonNull(s, "serializer");
            try {
                s.getClass().getConstructor();
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("serializer " + s.getClass().getName()
                        + " needs a public no-argument constructor: worker processes create their own instance", e);
            }
            this.serializer = s;
            return this;
        }

        public ProcessPool build() {
            return new ProcessPool(this);
        }
    }

    @Override
    protected PoolBackend backend() {
        return backend;
    }

    /** As in {@link Pool}; the caller reads the worker's answer itself, with no thread hand-off. */
    @Override
    public <R> R apply(SerializableCallable<? extends R> task) {
        Result<R> r = engine.submitCall(Objects.requireNonNull(task, "task"), true);
        return r.result();
    }

    @Override
    public int size() {
        return engine.size();
    }

    /** The process ids of the live workers. */
    public List<Long> workerPids() {
        return engine.workerPids();
    }

    @Override
    public void close() {
        engine.close();
    }

    @Override
    public void terminate() {
        engine.terminate();
    }

    @Override
    public void join() throws InterruptedException {
        engine.awaitWorkersGone(Long.MAX_VALUE);
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        return engine.awaitWorkersGone(timeout.toNanos());
    }

    @Override
    public String toString() {
        return "ProcessPool[processes=" + size() + ", workers=" + workerPids() + "]";
    }

}
