package dev.multitask.ipc.internal;

import dev.multitask.ipc.SerializationException;
import dev.multitask.ipc.Serializer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The default {@link Serializer}: a one-byte tag, then either a compact binary form (null,
 * Integer, Long, Double, Boolean, String, byte[], int[], long[], double[], and lists whose
 * elements are any of these) or a JDK serialization stream for everything else (lambdas,
 * records, user classes).
 *
 * <p>The compact forms matter for {@code map}: a chunk of 10,000 boxed integers costs five
 * bytes an item and no reflection. JDK serialization is read through an
 * {@link ObjectInputFilter} that bounds graph depth, references and array length, and
 * resolves classes with the given class loader (the one that created the pool).
 */
public final class DefaultSerializer implements Serializer {

    public static final DefaultSerializer INSTANCE = new DefaultSerializer();

    private static final byte NULL = 0, INT = 1, LONG = 2, DOUBLE = 3, TRUE = 4, FALSE = 5, STRING = 6,
            BYTES = 7, INTS = 8, LONGS = 9, DOUBLES = 10, LIST = 11, JAVA = 12, BLOB = 13,
            INT_LIST = 14, LONG_LIST = 15, DOUBLE_LIST = 16;
    /** What {@link #compactKind} found in a list. */
    private static final int NOT_COMPACT = 0, MIXED = 1, ALL_INT = 2, ALL_LONG = 3, ALL_DOUBLE = 4;

    private static final ObjectInputFilter LIMITS =
            ObjectInputFilter.Config.createFilter("maxdepth=2000;maxrefs=50000000;maxarray=2147483639");

    private final ClassLoader loader;

    public DefaultSerializer() {
        this(null);
    }

    /** A serializer resolving classes through {@code loader} (null: the usual JDK rules). */
    public DefaultSerializer(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public void serialize(Object value, OutputStream out) throws IOException {
        if (out instanceof Bytes b) {
            write(value, b);
        } else {
            Bytes b = new Bytes(256);
            write(value, b);
            out.write(b.array(), 0, b.length());
        }
    }

    @Override
    public Object deserialize(InputStream in) throws IOException, ClassNotFoundException {
        if (in instanceof BytesInput b) {
            return read(b);
        }
        byte[] all = in.readAllBytes();
        return read(new BytesInput(all, 0, all.length));
    }

    private void write(Object v, Bytes out) throws IOException {
        if (v instanceof Integer i) { // the commonest element of map chunks and queues, before the type switch
            out.write(INT);
            out.writeInt(i);
            return;
        }
        switch (v) {
            case null -> out.write(NULL);
            case Integer i -> {
                out.write(INT);
                out.writeInt(i);
            }
            case Long l -> {
                out.write(LONG);
                out.writeLong(l);
            }
            case Double d -> {
                out.write(DOUBLE);
                out.writeDouble(d);
            }
            case Boolean b -> out.write(b ? TRUE : FALSE);
            case String s -> {
                out.write(STRING);
                byte[] u = s.getBytes(StandardCharsets.UTF_8);
                out.writeInt(u.length);
                out.write(u, 0, u.length);
            }
            case byte[] a when a.length >= Blobs.THRESHOLD && Blobs.COLLECTOR.isBound() -> {
                out.write(BLOB);
                out.writeInt(Blobs.COLLECTOR.get().add(a));
            }
            case byte[] a -> {
                out.write(BYTES);
                out.writeInt(a.length);
                out.write(a, 0, a.length);
            }
            case int[] a -> {
                out.write(INTS);
                out.writeInt(a.length);
                out.ensure(a.length * 4);
                for (int x : a) {
                    out.writeInt(x);
                }
            }
            case long[] a -> {
                out.write(LONGS);
                out.writeInt(a.length);
                out.ensure(a.length * 8);
                for (long x : a) {
                    out.writeLong(x);
                }
            }
            case double[] a -> {
                out.write(DOUBLES);
                out.writeInt(a.length);
                out.ensure(a.length * 8);
                for (double x : a) {
                    out.writeDouble(x);
                }
            }
            case List<?> l when l instanceof RandomAccess -> writeList(l, out);
            default -> writeJava(v, out);
        }
    }

    /**
     * A list that can be walked by index and holds only compact scalars is written compactly
     * (and comes back as an {@link ArrayList}); one of only Integers, Longs or Doubles as a
     * packed array of them, the form of {@code map}'s chunks. Other lists keep their class
     * through JDK serialization.
     */
    private void writeList(List<?> l, Bytes out) throws IOException {
        int n = l.size();
        switch (compactKind(l)) {
            case ALL_INT -> {
                out.write(INT_LIST);
                out.writeInt(n);
                out.ensure(n * 4);
                for (int i = 0; i < n; i++) {
                    out.writeInt((Integer) l.get(i));
                }
            }
            case ALL_LONG -> {
                out.write(LONG_LIST);
                out.writeInt(n);
                out.ensure(n * 8);
                for (int i = 0; i < n; i++) {
                    out.writeLong((Long) l.get(i));
                }
            }
            case ALL_DOUBLE -> {
                out.write(DOUBLE_LIST);
                out.writeInt(n);
                out.ensure(n * 8);
                for (int i = 0; i < n; i++) {
                    out.writeDouble((Double) l.get(i));
                }
            }
            case MIXED -> {
                out.write(LIST);
                out.writeInt(n);
                for (int i = 0; i < n; i++) {
                    write(l.get(i), out);
                }
            }
            default -> writeJava(l, out);
        }
    }

    private static int compactKind(List<?> l) {
        int n = l.size();
        if (n == 0) {
            return MIXED;
        }
        Class<?> first = l.get(0) == null ? null : l.get(0).getClass();
        boolean same = first == Integer.class || first == Long.class || first == Double.class;
        for (int i = 0; i < n; i++) {
            Object e = l.get(i);
            if (e == null) {
                same = false;
                continue;
            }
            Class<?> c = e.getClass();
            if (c != first) {
                same = false;
                if (!(c == Integer.class || c == Long.class || c == Double.class || c == String.class || c == Boolean.class)) {
                    return NOT_COMPACT;
                }
            } else if (!same && !(c == Integer.class || c == Long.class || c == Double.class || c == String.class
                    || c == Boolean.class)) {
                return NOT_COMPACT;
            }
        }
        if (!same) {
            return MIXED;
        }
        return first == Integer.class ? ALL_INT : first == Long.class ? ALL_LONG : ALL_DOUBLE;
    }

    private void writeJava(Object v, Bytes out) throws IOException {
        out.write(JAVA);
        int mark = out.length();
        try (ObjectOutputStream oos = Blobs.COLLECTOR.isBound() ? new BlobAwareOutput(out, Blobs.COLLECTOR.get())
                : new ObjectOutputStream(out)) {
            oos.writeObject(v);
        } catch (NotSerializableException e) {
            out.length(mark);
            String cls = e.getMessage();
            String path = SerializationPath.find(v, cls);
            throw new SerializationException(
                    "cannot serialize " + describe(v) + ": " + cls + " is not Serializable"
                            + (path == null ? "" : " (reached through " + path + ")")
                            + "; make it implement java.io.Serializable, mark the field transient,"
                            + " or capture only what the task needs",
                    cls, e);
        } catch (InvalidClassException e) {
            out.length(mark);
            throw new SerializationException("cannot serialize " + describe(v) + ": " + e.getMessage(), e.classname, e);
        }
    }

    static String describe(Object v) {
        String n = v.getClass().getName();
        int lambda = n.indexOf("$$Lambda");
        return lambda > 0 ? "a lambda declared in " + n.substring(0, lambda) : "an instance of " + n;
    }

    private Object read(BytesInput in) throws IOException, ClassNotFoundException {
        byte tag = in.readByte();
        if (tag == INT) {
            return in.readInt();
        }
        switch (tag) {
            case NULL:
                return null;
            case INT:
                return in.readInt();
            case LONG:
                return in.readLong();
            case DOUBLE:
                return in.readDouble();
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case STRING: {
                int n = in.readInt();
                String s = new String(in.array(), in.position(), checkLength(n, in), StandardCharsets.UTF_8);
                in.skip(n);
                return s;
            }
            case BYTES: {
                byte[] a = new byte[checkLength(in.readInt(), in)];
                in.readFully(a, 0, a.length);
                return a;
            }
            case INTS: {
                int[] a = new int[checkLength(in.readInt(), in, 4)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readInt();
                }
                return a;
            }
            case LONGS: {
                long[] a = new long[checkLength(in.readInt(), in, 8)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readLong();
                }
                return a;
            }
            case DOUBLES: {
                double[] a = new double[checkLength(in.readInt(), in, 8)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readDouble();
                }
                return a;
            }
            case INT_LIST: {
                int n = checkLength(in.readInt(), in, 4);
                ArrayList<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(in.readInt());
                }
                return l;
            }
            case LONG_LIST: {
                int n = checkLength(in.readInt(), in, 8);
                ArrayList<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(in.readLong());
                }
                return l;
            }
            case DOUBLE_LIST: {
                int n = checkLength(in.readInt(), in, 8);
                ArrayList<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(in.readDouble());
                }
                return l;
            }
            case LIST: {
                int n = checkLength(in.readInt(), in);
                ArrayList<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(read(in));
                }
                return l;
            }
            case JAVA:
                return readJava(in);
            case BLOB: {
                int index = in.readInt();
                if (!Blobs.SOURCE.isBound()) {
                    throw new IOException("corrupt message: a blob reference outside a blob-carrying message");
                }
                return Blobs.SOURCE.get().get(index);
            }
            default:
                throw new IOException("corrupt message: unknown value tag " + tag);
        }
    }

    private static int checkLength(int n, BytesInput in) throws EOFException {
        return checkLength(n, in, 1);
    }

    private static int checkLength(int n, BytesInput in, int unit) throws EOFException {
        if (n < 0 || (long) n * unit > in.available()) {
            throw new EOFException("corrupt message: length " + n + " exceeds the " + in.available() + " bytes left");
        }
        return n;
    }

    private Object readJava(BytesInput in) throws IOException, ClassNotFoundException {
        Blobs.Source blobs = Blobs.SOURCE.isBound() ? Blobs.SOURCE.get() : null;
        ObjectInputStream ois = new ObjectInputStream(in) {
            {
                if (blobs != null) {
                    enableResolveObject(true);
                }
            }

            @Override
            protected Object resolveObject(Object obj) {
                return obj instanceof Blobs.Ref r ? blobs.get(r.index()) : obj;
            }

            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                ClassLoader l = loader != null ? loader : Thread.currentThread().getContextClassLoader();
                if (l != null) {
                    try {
                        return Class.forName(desc.getName(), false, l);
                    } catch (ClassNotFoundException e) {
                        // fall back to the JDK's rules (primitives, the latest user-defined loader)
                    }
                }
                return super.resolveClass(desc);
            }
        };
        ois.setObjectInputFilter(LIMITS);
        return ois.readObject();
    }

    /** JDK serialization that leaves large byte arrays beside the stream (see {@link Blobs}). */
    private static final class BlobAwareOutput extends ObjectOutputStream {
        private final Blobs.Collector collector;

        BlobAwareOutput(OutputStream out, Blobs.Collector collector) throws IOException {
            super(out);
            this.collector = collector;
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            return obj instanceof byte[] a && a.length >= Blobs.THRESHOLD ? new Blobs.Ref(collector.add(a)) : obj;
        }
    }

    /** Convenience for tests and internal callers. */
    public static byte[] toBytes(Serializer s, Object v) throws IOException {
        Bytes b = new Bytes(64);
        s.serialize(v, b);
        return b.toByteArray();
    }

}
