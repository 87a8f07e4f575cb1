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
 */
public record SharedObjectRef(String className, String name) implements Serializable {

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
