package dev.multitask.ipc.internal;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer that is also an {@link OutputStream}, with fast writers for the
 * primitive types (big-endian, as {@link java.io.DataOutput}). Not thread-safe.
 */
public final class Bytes extends OutputStream {
    byte[] buf;
    int len;

    public Bytes(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    public byte[] array() {
        return buf;
    }

    public int length() {
        return len;
    }

    /** Sets the length, growing the buffer if needed (used to reserve or patch a header). */
    public void length(int newLength) {
        ensure(newLength - len);
        len = newLength;
    }

    void ensure(int extra) {
        int need = len + extra;
        if (need > buf.length) {
            if (need < 0) {
                throw new OutOfMemoryError("message larger than 2 GiB");
            }
            buf = Arrays.copyOf(buf, Math.max(need, (int) Math.min(Integer.MAX_VALUE - 16, buf.length * 2L)));
        }
    }

    @Override
    public void write(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    public void writeInt(int v) {
        ensure(4);
        VH.INT.set(buf, len, v);
        len += 4;
    }

    public void putInt(int at, int v) {
        VH.INT.set(buf, at, v);
    }

    public void writeLong(long v) {
        ensure(8);
        VH.LONG.set(buf, len, v);
        len += 8;
    }

    public void putLong(int at, long v) {
        VH.LONG.set(buf, at, v);
    }

    public void writeDouble(double v) {
        writeLong(Double.doubleToRawLongBits(v));
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
