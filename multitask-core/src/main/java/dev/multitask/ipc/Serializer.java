package dev.multitask.ipc;

import dev.multitask.ipc.internal.DefaultSerializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * How tasks, arguments, results and exceptions are turned into bytes between processes.
 *
 * <p>An implementation must be stateless and thread-safe, and have a public no-argument
 * constructor: worker processes create their own instance from the class name. One value is
 * written per call and read back by exactly one {@link #deserialize} call on the stream of
 * bytes the peer wrote; the stream ends where the value ends.
 *
 * <p>Nothing is ever deserialized from a peer that has not first authenticated with the
 * secret of the process that started it, so a serializer sees bytes only from processes of
 * its own application.
 *
 * <p>The {@linkplain #defaultSerializer() default} writes common values (null, boxed
 * primitives, strings, byte/int/long/double arrays, lists of those) in a compact binary
 * form and everything else with JDK serialization, filtered by an
 * {@link java.io.ObjectInputFilter} that bounds depth and size.
 */
public interface Serializer {

    /**
     * Writes {@code value} to {@code out}.
     *
     * @throws SerializationException when the value, or something it references, cannot be
     *     serialized; the message names the class and, where it can, the path to it
     */
    void serialize(Object value, OutputStream out) throws IOException;

    /**
     * Reads one value written by {@link #serialize}.
     *
     * @throws ClassNotFoundException when a class of the value is not on this process's class path
     */
    Object deserialize(InputStream in) throws IOException, ClassNotFoundException;

    /** The default serializer (see the class comment). */
    static Serializer defaultSerializer() {
        return DefaultSerializer.INSTANCE;
    }
}
