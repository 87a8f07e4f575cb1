package dev.multitask.pool;

/** The Pool contract on worker JVMs. */
class ProcessPoolContractTest extends PoolContract {
    @Override
    protected Pool newPool(int n) {
        return new ProcessPool(n);
    }
}
