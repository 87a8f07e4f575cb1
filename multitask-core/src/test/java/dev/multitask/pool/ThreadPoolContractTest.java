package dev.multitask.pool;

import dev.multitask.thread.ThreadPool;
import org.junit.jupiter.api.Nested;

/** The Pool contract on platform threads and on virtual threads. */
class ThreadPoolContractTest {
    @Nested
    class PlatformThreads extends PoolContract {
        @Override
        protected Pool newPool(int n) {
            return new ThreadPool(n);
        }
    }

    @Nested
    class VirtualThreads extends PoolContract {
        @Override
        protected Pool newPool(int n) {
            return ThreadPool.builder().threads(n).virtualThreads().build();
        }
    }
}
