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
        trainSharedMemory();
    }

    /** The hot paths of shared objects a child or task typically uses: queue puts and takes, locks. */
    private static void trainSharedMemory() throws Exception {
        dev.multitask.queue.SharedQueue<Object> q = dev.multitask.queue.SharedQueue.create();
        dev.multitask.sync.SharedLock lock = dev.multitask.sync.SharedLock.create();
        dev.multitask.shm.SharedLong counter = dev.multitask.shm.SharedLong.create(0);
        try {
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 1000; i++) {
                    q.put(i);
                }
                q.put("text");
                for (int i = 0; i <= 1000; i++) {
                    q.take();
                }
                for (int i = 0; i < 1000; i++) {
                    try (var held = lock.acquire()) {
                        counter.incrementAndGet();
                    }
                }
            }
        } finally {
            q.unlink();
            lock.unlink();
            counter.unlink();
        }
    }
}
