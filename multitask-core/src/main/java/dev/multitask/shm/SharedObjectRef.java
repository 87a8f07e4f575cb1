package dev.multitask.shm;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;

/**
 * How every shared object (segments, typed values, locks, events, semaphores, queues) travels
 * to another process: the name of its class and its own name. On arrival the class's public
 * static {@code attach(String)} attaches to the same memory, which checks the segment's kind.
 *
 * <p>A plain class rather than a record on purpose: JDK serialization reads a record through
 * its canonical constructor, whose method handle a fresh JVM takes ~25 ms to build the first
 * time, and that was most of the time a child took to receive a target capturing a shared object.
 */
public final class SharedObjectRef implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String className;
    private final String name;

    public SharedObjectRef(String className, String name) {
        this.className = java.util.Objects.requireNonNull(className, "className");
        this.name = java.util.Objects.requireNonNull(name, "name");
    }

    /** The shared object's class. */
    public String className() {
        return className;
    }

    /** The shared memory's name. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SharedObjectRef r && r.className.equals(className) && r.name.equals(name);
    }

    @Override
    public int hashCode() {
        return className.hashCode() * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return "SharedObjectRef[className=" + className + ", name=" + name + "]";
    }

    @Serial
    private Object readResolve() throws ObjectStreamException {
        try {
            Class<?> c = Class.forName(className, true, SharedObjectRef.class.getClassLoader());
            return c.getMethod("attach", String.class).invoke(null, name);
        } catch (InvocationTargetException e) {
            InvalidObjectException x = new InvalidObjectException("cannot attach to shared " + className + " '" + name + "': "
                    + e.getCause().getMessage());
            x.initCause(e.getCause());
            throw x;
        } catch (ReflectiveOperationException e) {
            InvalidObjectException x = new InvalidObjectException("not a shared object class: " + className);
            x.initCause(e);
            throw x;
        }
    }
}
