package dev.multitask.process.internal;

import dev.multitask.function.SerializableFunction;
import dev.multitask.function.SerializableRunnable;
import dev.multitask.ipc.SerializationException;
import dev.multitask.ipc.Serializer;
import dev.multitask.ipc.internal.BlobArena;
import dev.multitask.ipc.internal.Blobs;
import dev.multitask.ipc.internal.Bytes;
import dev.multitask.ipc.internal.BytesInput;
import dev.multitask.ipc.internal.Channel;
import dev.multitask.ipc.internal.DefaultSerializer;
import dev.multitask.ipc.internal.Hub;
import dev.multitask.process.RemoteTaskException;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The main class of every worker JVM.
 *
 * <p>Start-up: read the bootstrap from stdin (socket path, id, token, serializer class),
 * connect, authenticate; then serve frames until told to exit. The first frame decides the
 * role: {@code RUN_CHILD} makes this the process of a {@code ChildProcess} (run the target
 * on the main thread, exit 0 when it returns, print the stack trace and exit 1 when it
 * throws, as Python's multiprocessing does); anything else makes it a pool worker that
 * answers one task at a time.
 *
 * <p>Parent death: a daemon thread checks ten times a second that the parent is still this
 * process's parent; when it is not, the process halts at once. For pool workers a closed
 * connection does the same immediately.
 */
public final class WorkerMain {
    /** Exit status of a worker whose parent died. */
    static final int PARENT_DIED = 3;
    private static final long PARENT_POLL_MS = 100;

    private final Channel channel;
    private final Serializer serializer;
    private final BlobArena fromParent;
    private final BlobArena toParent;
    private byte[] lastFunctionBytes;
    private SerializableFunction<Object, Object> lastFunction;
    private byte[] lastStatelessBytes;
    private Object lastStateless;

    private WorkerMain(Channel channel, Serializer serializer, Path shmDir, long id) {
        this.channel = channel;
        this.serializer = serializer;
        this.fromParent = BlobArena.reader(shmDir.resolve(id + ".p2w"));
        this.toParent = BlobArena.writer(shmDir.resolve(id + ".w2p"));
    }

    public static void main(String[] args) throws Exception {
        DataInputStream in = new DataInputStream(System.in);
        Path socket = Path.of(in.readUTF());
        long id = in.readLong();
        byte[] token = new byte[in.readInt()];
        in.readFully(token);
        String serializerClass = in.readUTF();
        Path shmDir = Path.of(in.readUTF());
        String mainClass = in.readUTF();
        int warmUpRounds = in.readInt();
        watchParent();

        Serializer serializer = serializerClass.isEmpty()
                ? DefaultSerializer.INSTANCE
                : (Serializer) Class.forName(serializerClass).getConstructor().newInstance();
        warmUp(serializer);
        preload(mainClass);
        warmUpSharedMemory(warmUpRounds);
        Channel channel;
        try {
            channel = Channel.connect(socket);
        } catch (IOException e) {
            Runtime.getRuntime().halt(PARENT_DIED); // the parent is gone (or going): nobody to serve
            return;
        }
        Bytes auth = Channel.message(token.length);
        auth.write(token, 0, token.length);
        channel.send(Hub.AUTH, id, auth);
        new WorkerMain(channel, serializer, shmDir, id).serve();
    }

    /**
     * Halts when the parent dies. It polls the parent pid rather than blocking on stdin:
     * HotSpot waits up to 300 ms at exit for threads blocked in native reads, which would
     * delay every worker's exit.
     */
    private static void watchParent() {
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(PARENT_POLL_MS);
                } catch (InterruptedException e) {
                    return;
                }
                var now = ProcessHandle.current().parent();
                if (now.isEmpty() || now.get().pid() != parent || !now.get().isAlive()) {
                    Runtime.getRuntime().halt(PARENT_DIED);
                }
            }
        }, "multitask-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Loads and runs, once, the path a first task takes (frame parsing, segment reading, lambda
     * deserialization, writing to stdout/stderr), so that a warm spare answers its first frame
     * without paying for it.
     */
    private static void warmUp(Serializer s) {
        try {
            SerializableRunnable r = () -> { };
            Bytes b = Channel.message(512);
            Protocol.writeSegment(b, s, "warm-up");
            Protocol.writeSegment(b, s, r);
            Protocol.finish(b, java.util.List.of());
            byte[] frame = java.util.Arrays.copyOfRange(b.array(), Channel.HEADER, b.length());
            Protocol.Message m = Protocol.parse(new Channel.Frame(Protocol.RUN_CHILD, 0, frame));
            Protocol.readSegment(m.body(), s);
            ((Runnable) Protocol.readSegment(m.body(), s)).run();
            System.out.print("");
            System.err.print("");
        } catch (Exception e) {
            // only an optimisation
        }
    }

    /**
     * A spare, started ahead of need, runs the shared queue's and lock's paths until the JIT
     * has compiled them (on objects in its own memory), so that a child started from it puts
     * and takes at full speed from its first message. It does so before connecting: a spare is
     * offered once it is warm (~0.3 s later than a cold one; ~0.5 s more CPU). Run in the
     * background after connecting instead, the warm-ups of several spares started together
     * competed for the cores with the work given to the first of them.
     */
    private static void warmUpSharedMemory(int rounds) {
        if (rounds <= 0) {
            return;
        }
        try {
            Training.trainSharedMemory(rounds);
        } catch (Exception | LinkageError e) {
            // only an optimisation
        }
    }

    /**
     * Loads and links (without initialising: no static code runs) the parent's main class,
     * in which most task lambdas are declared, so that a warm spare's first task need not.
     */
    private static void preload(String className) {
        if (className.isEmpty()) {
            return;
        }
        try {
            Class<?> c = Class.forName(className, false, ClassLoader.getSystemClassLoader());
            c.getDeclaredMethods();
        } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
            // only an optimisation
        }
    }

    private void serve() throws Exception {
        while (true) {
            Channel.Frame f;
            try {
                f = channel.receive();
            } catch (IOException e) {
                Runtime.getRuntime().halt(PARENT_DIED);
                return;
            }
            Protocol.Message m = Protocol.parse(f);
            switch (f.type()) {
                case Protocol.RUN_CHILD -> {
                    runChild(m);
                    return;
                }
                case Protocol.INIT -> answer(f.id(), () -> {
                    ((Runnable) read(m)).run();
                    return null;
                });
                case Protocol.CALL -> answer(f.id(), () -> ((Callable<?>) readTask(m)).call());
                case Protocol.CHUNK -> answer(f.id(), () -> runChunk(m));
                case Protocol.EXIT -> {
                    channel.close();
                    System.out.flush();
                    System.exit(0);
                }
                default -> throw new IOException("unknown frame type " + f.type());
            }
        }
    }

    /** Reads the next value of the message, its large arrays coming from the parent's file. */
    private Object read(Protocol.Message m) throws Exception {
        if (m.blobCount() == 0) {
            return Protocol.readSegment(m.body(), serializer);
        }
        return ScopedValue.where(Blobs.SOURCE, m.source(fromParent)).call(() -> Protocol.readSegment(m.body(), serializer));
    }

    /**
     * Reads a task; a stateless lambda sent again (same bytes) is reused rather than
     * deserialized again (see {@link dev.multitask.ipc.internal.Stateless}).
     */
    private Object readTask(Protocol.Message m) throws Exception {
        BytesInput body = m.body();
        int n = body.available() >= 4 ? (int) java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class,
                java.nio.ByteOrder.BIG_ENDIAN).get(body.array(), body.position()) : -1;
        byte[] last = lastStatelessBytes;
        if (last != null && n == last.length && m.blobCount() == 0
                && Arrays.equals(body.array(), body.position() + 4, body.position() + 4 + n, last, 0, n)) {
            body.skip(4 + n);
            return lastStateless;
        }
        int start = body.position();
        Object task = read(m);
        if (dev.multitask.ipc.internal.Stateless.is(task) && m.blobCount() == 0) {
            lastStatelessBytes = Arrays.copyOfRange(body.array(), start + 4, start + 4 + n);
            lastStateless = task;
        }
        return task;
    }

    private void runChild(Protocol.Message m) {
        String name;
        Runnable target;
        try {
            name = (String) read(m);
            target = (Runnable) read(m);
        } catch (Exception e) {
            System.err.println("Process could not read its target:");
            e.printStackTrace();
            System.exit(1);
            return;
        }
        channel.close();
        Thread.currentThread().setName(name);
        try {
            target.run();
        } catch (Throwable t) {
            System.err.println("Process " + name + ":");
            t.printStackTrace();
            System.err.flush();
            System.exit(1);
        }
        // returning from main: the JVM exits with status 0 once the target's non-daemon threads end
    }

    @SuppressWarnings("unchecked")
    private Object runChunk(Protocol.Message m) throws Exception {
        byte[] fnBytes = Protocol.readRawSegment(m.body());
        SerializableFunction<Object, Object> fn;
        if (Arrays.equals(fnBytes, lastFunctionBytes)) {
            fn = lastFunction;
        } else {
            fn = (SerializableFunction<Object, Object>) serializer.deserialize(new BytesInput(fnBytes, 0, fnBytes.length));
            lastFunction = fn;
            lastFunctionBytes = fnBytes;
        }
        List<?> items = (List<?>) read(m);
        List<Object> out = new ArrayList<>(items.size());
        for (int i = 0, n = items.size(); i < n; i++) {
            out.add(fn.apply(items.get(i)));
        }
        return out;
    }

    private void answer(long id, Callable<?> work) throws IOException {
        Object result;
        try {
            result = work.call();
        } catch (ClassNotFoundException e) {
            sendError(id, new SerializationException("class " + e.getMessage() + " of the task was not found in worker process "
                    + ProcessHandle.current().pid() + "; workers use the parent's class path", e.getMessage(), e));
            return;
        } catch (Throwable t) {
            sendError(id, t);
            return;
        }
        Bytes out = Channel.message(64);
        Blobs.Collector blobs = new Blobs.Collector();
        try {
            ScopedValue.where(Blobs.COLLECTOR, blobs).call(() -> {
                Protocol.writeSegment(out, serializer, result);
                return null;
            });
        } catch (SerializationException e) {
            sendError(id, new SerializationException("the task's result: " + e.getMessage(), e.className(), null));
            return;
        }
        Protocol.finish(out, blobs.arrays());
        if (!blobs.arrays().isEmpty()) {
            Protocol.placeBlobs(out, blobs.arrays(), toParent);
        }
        channel.send(Protocol.OK, id, out);
    }

    private void sendError(long id, Throwable t) throws IOException {
        Bytes out = Channel.message(1024);
        try {
            Protocol.writeSegment(out, serializer, t);
        } catch (RuntimeException | IOException e) {
            out.length(Channel.HEADER);
            Protocol.writeSegment(out, serializer, RemoteTaskException.of(t));
        }
        Protocol.finish(out, java.util.List.of());
        channel.send(Protocol.ERR, id, out);
    }
}
