package dev.multitask.examples;

import dev.multitask.async.Async;
import dev.multitask.async.AsyncServer;
import dev.multitask.async.StreamConnection;
import dev.multitask.async.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP echo server and three clients with the streams API, all in one event loop.
 *
 * <pre>{@code
 * # Python
 * async def handle(reader, writer):
 *     while line := await reader.readline():
 *         writer.write(b"echo: " + line); await writer.drain()
 *     writer.close()
 *
 * server = await asyncio.start_server(handle, "127.0.0.1", 0)
 * reader, writer = await asyncio.open_connection("127.0.0.1", port)
 * }</pre>
 */
public final class AsyncEchoServer {
    public static void main(String[] args) {
        Async.run(() -> {
            AsyncServer server = Async.startServer((reader, writer) -> {
                String line;
                while ((line = reader.readLine()) != null) {
                    writer.writeLine("echo: " + line);
                    writer.drain();
                }
            }, "127.0.0.1", 0);
            System.out.println("echo server listening on 127.0.0.1:" + server.port());

            List<Task<String>> clients = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int id = i;
                clients.add(Async.createTask(() -> {
                    try (StreamConnection conn = Async.openConnection("127.0.0.1", server.port())) {
                        conn.writer().writeLine("hello from client " + id);
                        conn.writer().drain();
                        return conn.reader().readLine();
                    }
                }));
            }
            for (String reply : Async.gather(clients)) {
                System.out.println("client got: " + reply);
            }
            server.close(); // otherwise run() would wait for the server forever
        });
    }
}
