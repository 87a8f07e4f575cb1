package dev.multitask.examples;

import dev.multitask.process.ChildProcess;
import dev.multitask.queue.SharedQueue;

/**
 * "Processes communicate through a queue": a producer process puts work on a
 * {@link SharedQueue}, a consumer process takes it, and the parent waits until every item is
 * done ({@code JoinableQueue}).
 *
 * <pre>{@code
 * # Python
 * q = JoinableQueue()
 * Process(target=producer, args=(q,)).start()
 * Process(target=consumer, args=(q,), daemon=True).start()
 * q.join()
 * }</pre>
 */
public final class QueueProducerConsumer {
    static void producer(SharedQueue<String> q) {
        try {
            for (int i = 0; i < 5; i++) {
                q.put("item " + i);
                System.out.println("produced item " + i + " in pid " + ProcessHandle.current().pid());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void consumer(SharedQueue<String> q) {
        try {
            while (true) {
                String item = q.take();
                System.out.println("consumed " + item + " in pid " + ProcessHandle.current().pid());
                q.taskDone();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        SharedQueue<String> q = SharedQueue.create();   // passed to the children by capture
        try {
            ChildProcess producer = new ChildProcess(() -> producer(q));
            ChildProcess consumer = new ChildProcess(() -> consumer(q));
            producer.start();
            consumer.start();
            producer.join();
            q.join();                                    // every item taken and marked done
            consumer.terminate();
            consumer.join();
            System.out.println("all items done");
        } finally {
            q.unlink();
        }
    }
}
