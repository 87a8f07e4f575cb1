package dev.multitask.shm;

import java.io.Serial;
import java.io.Serializable;

/**
 * What every shared object built on one {@link SharedMemory} segment has: a name, {@code close}
 * (unmap this process's view), {@code unlink} (remove the name), and travel to another process
 * as its class and name ({@link SharedObjectRef}), where it attaches to the same memory.
 */
public abstract class SharedObject implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The segment; its data holds the object's state. */
    protected final transient SharedMemory memory;

    protected SharedObject(SharedMemory memory) {
        this.memory = memory;
    }

    public final String name() {
        return memory.name();
    }

    /** Unmaps this process's view; later use throws {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        memory.close();
    }

    /** Removes the name (see {@link SharedMemory#unlink()}). */
    public final void unlink() {
        memory.unlink();
    }

    /** Travels as its class and name. */
    @Serial
    protected final Object writeReplace() {
        return new SharedObjectRef(getClass().getName(), memory.name());
    }
}
