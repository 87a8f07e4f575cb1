package dev.multitask.sync;

import java.util.concurrent.locks.Lock;

/** The Lock contract on the shared-memory lock. */
class SharedLockContractTest extends LockContract {
    @Override
    protected Lock newLock() {
        return SharedLock.create();
    }

    @Override
    protected void dispose(Lock l) {
        ((SharedLock) l).unlink();
    }
}
