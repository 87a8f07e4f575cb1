package dev.multitask.hazelcast;

import dev.multitask.function.SerializableCallable;
import dev.multitask.function.SerializableFunction;
import dev.multitask.ipc.SerializationException;
import dev.multitask.ipc.Serializer;
import dev.multitask.process.RemoteTaskException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What travels to a member: the task (or a function and a chunk of items) encoded by
 * multitask's own {@link Serializer}, so that a non-serializable task fails at the call naming
 * the offending field, exactly as with {@code ProcessPool}, and Hazelcast only moves bytes.
 * The answer is a status byte (0 value, 1 failure) and the encoded value or exception.
 * Public only because Hazelcast creates it (as a {@code DataSerializable}) on the members.
 */
public final class Envelope implements Callable<byte[]>, com.hazelcast.nio.serialization.DataSerializable {
    static final byte OK = 0, FAILED = 1;
    /** The encoded form of each stateless lambda class (nothing captured): computed once. */
    private static final java.util.concurrent.ConcurrentHashMap<Class<?>, byte[]> STATELESS_BYTES = new java.util.concurrent.ConcurrentHashMap<>();

    private byte[] task;
    private byte[] items;

    /** For Hazelcast, which reads the fields with {@link #readData}. */
    public Envelope() {
    }

    private Envelope(byte[] task, byte[] items) {
        this.task = task;
        this.items = items;
    }

    static Envelope call(SerializableCallable<?> task) {
        if (dev.multitask.ipc.internal.Stateless.is(task)) {
            return new Envelope(STATELESS_BYTES.computeIfAbsent(task.getClass(), c -> encode(task)), null);
        }
        return new Envelope(encode(task), null);
    }

    @Override
    public void writeData(com.hazelcast.nio.ObjectDataOutput out) throws IOException {
        out.writeByteArray(task);
        out.writeByteArray(items);
    }

    @Override
    public void readData(com.hazelcast.nio.ObjectDataInput in) throws IOException {
        task = in.readByteArray();
        items = in.readByteArray();
    }

    static Envelope chunk(byte[] fn, List<Object> items) {
        return new Envelope(fn, encode(new ArrayList<>(items)));
    }

    static byte[] encode(Object v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            Serializer.defaultSerializer().serialize(v, out);
        } catch (IOException e) {
            throw new SerializationException("cannot serialize " + v.getClass().getName() + ": " + e.getMessage(),
                    v.getClass().getName(), e);
        }
        return out.toByteArray();
    }

    static Object decode(byte[] b) throws IOException, ClassNotFoundException {
        return Serializer.defaultSerializer().deserialize(new ByteArrayInputStream(b));
    }

    @Override
    @SuppressWarnings("unchecked")
    public byte[] call() {
        Object result;
        try {
            if (items == null) {
                result = ((SerializableCallable<Object>) decode(task)).call();
            } else {
                SerializableFunction<Object, Object> fn = (SerializableFunction<Object, Object>) decode(task);
                List<Object> in = (List<Object>) decode(items);
                List<Object> out = new ArrayList<>(in.size());
                for (Object x : in) {
                    out.add(fn.apply(x));
                }
                result = out;
            }
        } catch (ClassNotFoundException e) {
            return failure(new SerializationException("class " + e.getMessage() + " of the task was not found on cluster member "
                    + Members.describeSelf() + "; every member needs the task's classes on its class path", e.getMessage(), e));
        } catch (Throwable t) {
            return failure(t);
        }
        try {
            return prefixed(OK, encode(result));
        } catch (SerializationException e) {
            return failure(new SerializationException("the task's result: " + e.getMessage(), e.className(), null));
        }
    }

    private static byte[] failure(Throwable t) {
        byte[] b;
        try {
            b = encode(t);
        } catch (RuntimeException e) {
            b = encode(RemoteTaskException.of(t));
        }
        return prefixed(FAILED, b);
    }

    private static byte[] prefixed(byte status, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = status;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }
}
