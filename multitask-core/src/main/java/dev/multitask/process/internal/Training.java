package dev.multitask.process.internal;

import dev.multitask.function.SerializableCallable;
import dev.multitask.function.SerializableFunction;
import dev.multitask.ipc.Serializer;
import dev.multitask.ipc.internal.BlobArena;
import dev.multitask.ipc.internal.Blobs;
import dev.multitask.ipc.internal.Bytes;
import dev.multitask.ipc.internal.Channel;
import dev.multitask.ipc.internal.DefaultSerializer;
import dev.multitask.process.RemoteTaskException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run of the AOT cache ({@link AotCache}): goes once through what a worker does
 * (connect a Unix socket, frame messages, serialize and run lambdas, carry a large array
 * through a shared file, report an exception) so that the classes involved are cached.
 */
final class Training {
    private Training() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("multitask-train-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            run(dir);
        } finally {
            dev.multitask.ipc.internal.Hub.deleteTree(dir);
        }
    }

    private static void run(Path dir) throws Exception {
        Serializer s = DefaultSerializer.INSTANCE;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve("s")));
            Channel client = Channel.connect(dir.resolve("s"));
            Channel peer = new Channel(server.accept());
            BlobArena out = BlobArena.writer(dir.resolve("b"));
            BlobArena in = BlobArena.reader(dir.resolve("b"));
            for (int round = 0; round < 200; round++) {
                int k = round;
                byte[] big = new byte[Blobs.THRESHOLD];
                SerializableCallable<Object> call = () -> List.of(k, "x", 2L, 1.5, big.length);
                SerializableFunction<Object, Object> fn = x -> x;
                Bytes msg = Channel.message(256);
                Blobs.Collector blobs = new Blobs.Collector();
                ScopedValue.where(Blobs.COLLECTOR, blobs).call(() -> {
                    Protocol.writeSegment(msg, s, call);
                    Protocol.writeSegment(msg, s, fn);
                    Protocol.writeSegment(msg, s, new ArrayList<>(List.of(1, 2, 3)));
                    Protocol.writeSegment(msg, s, RemoteTaskException.of(new IllegalStateException("training")));
                    return null;
                });
                Protocol.finish(msg, blobs.arrays());
                Protocol.placeBlobs(msg, blobs.arrays(), out);
                client.send(Protocol.CALL, round, msg);
                Protocol.Message m = Protocol.parse(peer.receive(0));
                ScopedValue.where(Blobs.SOURCE, m.source(in)).call(() -> {
                    ((SerializableCallable<?>) Protocol.readSegment(m.body(), s)).call();
                    Protocol.readSegment(m.body(), s);
                    Protocol.readSegment(m.body(), s);
                    Protocol.readSegment(m.body(), s);
                    return null;
                });
            }
            out.delete();
            in.close();
            client.close();
            peer.close();
        }
        trainSharedMemory(20);
    }

    /**
     * The hot paths of shared objects a child or task typically uses: queue puts and takes
     * (with a consumer thread that sometimes finds the queue empty and sleeps, so that the
     * paths of waking a waiter are compiled too), and locks.
     */
    static void trainSharedMemory(int rounds) throws Exception {
        // in this process's memory, not files: a spare halted mid-warm-up, as when its parent
        // exits, leaves nothing in /dev/shm
        Object[] objects = ScopedValue.where(dev.multitask.shm.internal.InProcess.SEGMENTS, true).call(() -> new Object[] {
                dev.multitask.queue.SharedQueue.create(), dev.multitask.sync.SharedLock.create(),
                dev.multitask.shm.SharedLong.create(0)});
        @SuppressWarnings("unchecked")
        dev.multitask.queue.SharedQueue<Object> q = (dev.multitask.queue.SharedQueue<Object>) objects[0];
        dev.multitask.sync.SharedLock lock = (dev.multitask.sync.SharedLock) objects[1];
        dev.multitask.shm.SharedLong counter = (dev.multitask.shm.SharedLong) objects[2];
        try {
            for (int round = 0; round < rounds; round++) {
                Thread consumer = Thread.ofPlatform().daemon().name("multitask-warm-up").start(() -> {
                    try {
                        for (int i = 0; i <= 1000; i++) {
                            q.take();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                for (int i = 0; i < 1000; i++) {
                    q.put(i);
                    if (i % 250 == 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(200_000); // the consumer runs dry and sleeps
                    }
                }
                q.put("text");
                consumer.join();
                for (int i = 0; i < 1000; i++) {
                    try (var held = lock.acquire()) {
                        counter.incrementAndGet();
                    }
                }
                // the two system calls of a hand-off between processes: a wake-up with nobody
                // asleep, and a wait on a word that has already changed (both return at once)
                try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                    java.lang.foreign.MemorySegment word = arena.allocate(4, 4);
                    for (int i = 0; i < 100; i++) {
                        dev.multitask.shm.internal.Futex.wake(word, 1);
                        dev.multitask.shm.internal.Futex.await(word, 1, 1_000_000); // the word is 0
                    }
                }
            }
        } finally {
            q.close();
            lock.close();
            counter.close();
        }
    }
}
