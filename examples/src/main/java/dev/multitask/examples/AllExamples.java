package dev.multitask.examples;

import java.util.LinkedHashMap;
import java.util.Map;

/** Runs the seed's programs one after another, or the one named by the first argument. */
public final class AllExamples {
    interface Main {
        void run(String[] args) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Main> all = new LinkedHashMap<>();
        all.put("ProcessStartJoin", ProcessStartJoin::main);
        all.put("ProcessPoolDemo", ProcessPoolDemo::main);
        all.put("ProcessPoolExecutorDemo", ProcessPoolExecutorDemo::main);
        all.put("ProcessLock", ProcessLock::main);
        all.put("QueueProducerConsumer", QueueProducerConsumer::main);
        all.put("ThreadStartJoin", ThreadStartJoin::main);
        all.put("ThreadPoolDemo", ThreadPoolDemo::main);
        all.put("ThreadLock", ThreadLock::main);
        all.put("AsyncVisitUrls", AsyncVisitUrls::main);
        all.put("AsyncEchoServer", AsyncEchoServer::main);
        all.put("ClusterPoolDemo", ClusterPoolDemo::main);
        String only = args.length > 0 && !args[0].isBlank() ? args[0] : null;
        if (only != null && !all.containsKey(only)) {
            System.err.println("no example named " + only + "; the examples are " + all.keySet());
            System.exit(2);
        }
        for (Map.Entry<String, Main> e : all.entrySet()) {
            if (only == null || only.equals(e.getKey())) {
                System.out.println("=== " + e.getKey() + " ===");
                e.getValue().run(new String[0]);
                System.out.println();
            }
        }
    }
}
