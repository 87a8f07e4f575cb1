package dev.multitask.examples;

import dev.multitask.async.Async;
import dev.multitask.async.Task;
import java.time.Duration;

/**
 * Seed 3: asyncio. Two "URL visits" that take 2 s and 3 s run as tasks of one event loop; they
 * wait at the same time, so the whole takes about 3 s, not 5.
 *
 * <pre>{@code
 * # Python
 * async def visit_url(url, response_time):
 *     await asyncio.sleep(response_time)
 *     return f"visit {url} takes {response_time}s"
 *
 * async def main():
 *     task1 = asyncio.create_task(visit_url('url_1', 2))
 *     task2 = asyncio.create_task(visit_url('url_2', 3))
 *     print(await task1)
 *     print(await task2)
 *
 * asyncio.run(main())
 * }</pre>
 */
public final class AsyncVisitUrls {
    static String visitUrl(String url, int responseTime) {
        Async.sleep(Duration.ofSeconds(responseTime));
        return "visit " + url + " takes " + responseTime + "s";
    }

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Async.run(() -> {
            Task<String> task1 = Async.createTask(() -> visitUrl("url_1", 2));
            Task<String> task2 = Async.createTask(() -> visitUrl("url_2", 3));
            System.out.println(task1.await());
            System.out.println(task2.await());
        });
        System.out.printf("total: %.1f s (the two waits overlap)%n", (System.nanoTime() - t0) / 1e9);
    }
}
