package dev.multitask.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** How multitask configures the members it starts: loopback only, explicit members, no multicast. */
final class Members {
    /** Kept so the JDK does not collect the logger and forget its level. */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
    private static volatile HazelcastInstance self;

    /** What Hazelcast asks of a member JVM on Java 9+ for its best performance (and no warning about it). */
    static final List<String> MEMBER_JVM_OPTIONS = List.of("--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");

    private Members() {
    }

    static void quietLogging() {
        if (!Boolean.getBoolean("multitask.hazelcast.verbose")) {
            HAZELCAST_LOG.setLevel(Level.WARNING);
        }
    }

    /** A free TCP port on the loopback interface. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        }
    }

    /**
     * The configuration of one member: cluster {@code name}, listening on {@code port} of
     * 127.0.0.1, joining the members at {@code ports} (TCP/IP join, multicast off), with
     * {@code threads} threads for multitask's executors.
     */
    static Config config(String name, int port, List<Integer> ports, int threads) {
        Config c = new Config();
        c.setClusterName(name);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.socket.bind.any", "false");
        // a killed member is noticed within seconds (its connection closes at once)
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
        c.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(port).setPortAutoIncrement(false);
        n.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig j = n.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        j.getTcpIpConfig().setEnabled(true);
        for (int p : ports) {
            j.getTcpIpConfig().addMember("127.0.0.1:" + p);
        }
        c.getExecutorConfig("multitask-*").setPoolSize(threads);
        c.getJetConfig().setEnabled(false);
        return c;
    }

    /** Starts a member in this JVM. */
    static HazelcastInstance start(Config c) {
        quietLogging();
        HazelcastInstance h = Hazelcast.newHazelcastInstance(c);
        self = h;
        return h;
    }

    /** One member in this JVM, alone in a cluster of its own on a free loopback port. */
    static HazelcastInstance startEmbedded(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + threads);
        }
        int port = freePort();
        return start(config("multitask-embedded-" + java.util.UUID.randomUUID(), port, List.of(port), threads));
    }

    /** The entry point of a member JVM started by {@link LocalCluster}: runs until killed. */
    static void runMember(String name, int port, List<Integer> ports, int threads) {
        start(config(name, port, ports, threads));
        try {
            new java.util.concurrent.CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String describeSelf() {
        HazelcastInstance h = self;
        String pid = "pid " + ProcessHandle.current().pid();
        try {
            return h == null ? pid : h.getCluster().getLocalMember().getAddress() + " (" + pid + ")";
        } catch (RuntimeException e) {
            return pid;
        }
    }
}
