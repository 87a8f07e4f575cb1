package dev.multitask.ipc.internal;

import java.io.EOFException;
import java.io.InputStream;

/** An {@link InputStream} over a region of a byte array, with fast primitive readers. Not thread-safe. */
public final class BytesInput extends InputStream {
    private final byte[] buf;
    private int pos;
    private final int end;

    public BytesInput(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    public byte[] array() {
        return buf;
    }

    public int position() {
        return pos;
    }

    public void skip(int n) throws EOFException {
        need(n);
        pos += n;
    }

    private void need(int n) throws EOFException {
        if (end - pos < n) {
            throw new EOFException("truncated message: needed " + n + " bytes, " + (end - pos) + " left");
        }
    }

    @Override
    public int read() {
        return pos < end ? buf[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int n) {
        if (n == 0) {
            return 0;
        }
        if (pos >= end) {
            return -1;
        }
        int k = Math.min(n, end - pos);
        System.arraycopy(buf, pos, b, off, k);
        pos += k;
        return k;
    }

    @Override
    public int available() {
        return end - pos;
    }

    public byte readByte() throws EOFException {
        need(1);
        return buf[pos++];
    }

    public int readInt() throws EOFException {
        need(4);
        int v = (int) VH.INT.get(buf, pos);
        pos += 4;
        return v;
    }

    public long readLong() throws EOFException {
        need(8);
        long v = (long) VH.LONG.get(buf, pos);
        pos += 8;
        return v;
    }

    public double readDouble() throws EOFException {
        return Double.longBitsToDouble(readLong());
    }

    public void readFully(byte[] dst, int off, int n) throws EOFException {
        need(n);
        System.arraycopy(buf, pos, dst, off, n);
        pos += n;
    }
}
