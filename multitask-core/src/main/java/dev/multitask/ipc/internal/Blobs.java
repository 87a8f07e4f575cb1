package dev.multitask.ipc.internal;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Large byte arrays that travel beside a message instead of inside it.
 *
 * <p>While a value is serialized with a {@link Collector} bound to {@link #COLLECTOR}, the
 * {@link DefaultSerializer} replaces every byte array of at least {@link #THRESHOLD} bytes
 * (a top-level value, or one anywhere in a JDK-serialized graph, such as a lambda's captured
 * argument) by a {@link Ref} to it; the array itself is copied once, when the message is sent,
 * into the sender's {@link BlobArena}. While a value is read with a {@link Source} bound to
 * {@link #SOURCE}, each {@link Ref} becomes a fresh array copied once out of that arena.
 * Without a binding arrays stay inline, so the format works on any channel.
 */
public final class Blobs {
    /** Arrays at least this large go beside the message ({@code -Dmultitask.blobThreshold}). */
    public static final int THRESHOLD = Integer.getInteger("multitask.blobThreshold", 256 * 1024);

    public static final ScopedValue<Collector> COLLECTOR = ScopedValue.newInstance();
    public static final ScopedValue<Source> SOURCE = ScopedValue.newInstance();

    private Blobs() {
    }

    /** Stands for the {@code index}-th large array of the message. */
    public record Ref(int index) implements Serializable {
    }

    /** Gathers the large arrays of one message, by reference (not copied). */
    public static final class Collector {
        private final List<byte[]> arrays = new ArrayList<>(1);

        int add(byte[] a) {
            arrays.add(a);
            return arrays.size() - 1;
        }

        public List<byte[]> arrays() {
            return arrays;
        }
    }

    /** Gives back the large arrays of one received message. */
    public interface Source {
        byte[] get(int index);
    }
}
