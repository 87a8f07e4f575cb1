package dev.multitask.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.multitask.process.ChildProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A Hazelcast cluster of member JVMs on this host, to try the cluster mode and to test it:
 * {@code n} members started as {@link ChildProcess}es (so they run this program's class path
 * and exit when this JVM dies), bound to 127.0.0.1 on free ports, joined to each other only
 * (TCP/IP join, no multicast), under a cluster name of their own; and a client in this JVM.
 * Closing it shuts the client down and kills the members.
 */
public final class LocalCluster implements AutoCloseable {
    private final String name;
    private final List<Integer> ports;
    private final List<ChildProcess> members = new ArrayList<>();
    private final HazelcastInstance client;
    private final int threadsPerMember;

    private LocalCluster(int n, int threadsPerMember) {
        if (n < 1) {
            throw new IllegalArgumentException("a local cluster needs at least one member, got " + n);
        }
        if (threadsPerMember < 1) {
            throw new IllegalArgumentException("threadsPerMember must be at least 1, got " + threadsPerMember);
        }
        this.threadsPerMember = threadsPerMember;
        this.name = "multitask-local-" + UUID.randomUUID();
        List<Integer> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ps.add(Members.freePort());
        }
        this.ports = List.copyOf(ps);
        for (int i = 0; i < n; i++) {
            int port = ports.get(i);
            String clusterName = name;
            List<Integer> all = ports;
            int threads = threadsPerMember;
            ChildProcess p = new ChildProcess("hazelcast-member-" + i, Members.MEMBER_JVM_OPTIONS,
                    () -> Members.runMember(clusterName, port, all, threads));
            p.start();
            members.add(p);
        }
        awaitPorts(Duration.ofSeconds(120));
        Members.quietLogging();
        ClientConfig cc = new ClientConfig();
        cc.setClusterName(name);
        cc.setProperty("hazelcast.logging.type", "jdk");
        cc.setProperty("hazelcast.phone.home.enabled", "false");
        cc.setProperty("hazelcast.client.invocation.timeout.seconds", "30");
        for (int p : ports) {
            cc.getNetworkConfig().addAddress("127.0.0.1:" + p);
        }
        cc.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(120_000);
        try {
            this.client = HazelcastClient.newHazelcastClient(cc);
            awaitMembers(n, Duration.ofSeconds(120));
        } catch (RuntimeException e) {
            for (ChildProcess m : members) {
                m.kill();
            }
            throw e;
        }
    }

    /** Starts {@code n} member JVMs, each with one executor thread per available processor, and connects a client. */
    public static LocalCluster start(int n) {
        return new LocalCluster(n, Runtime.getRuntime().availableProcessors());
    }

    /** Starts {@code n} member JVMs with {@code threadsPerMember} executor threads each. */
    public static LocalCluster start(int n, int threadsPerMember) {
        return new LocalCluster(n, threadsPerMember);
    }

    /** Waits until every member listens, so the client's first connection attempts succeed. */
    private void awaitPorts(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < ports.size(); i++) {
            for (;;) {
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), ports.get(i)), 1000);
                    break;
                } catch (java.io.IOException e) {
                    if (!members.get(i).isAlive()) {
                        members.forEach(ChildProcess::kill);
                        throw new IllegalStateException("member JVM " + i + " of the local cluster exited with status "
                                + members.get(i).exitCode() + " before listening; its output is above");
                    }
                    if (System.nanoTime() > deadline) {
                        members.forEach(ChildProcess::kill);
                        throw new IllegalStateException("member JVM " + i + " did not listen on port " + ports.get(i) + " within " + timeout);
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        members.forEach(ChildProcess::kill);
                        throw new IllegalStateException("interrupted while the local cluster started", ie);
                    }
                }
            }
        }
    }

    private void awaitMembers(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (client.getCluster().getMembers().size() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + client.getCluster().getMembers().size() + " of " + n
                        + " members joined the local cluster within " + timeout);
            }
            for (ChildProcess m : members) {
                if (!m.isAlive()) {
                    throw new IllegalStateException("a member JVM of the local cluster exited with status " + m.exitCode()
                            + " before joining; its output is above");
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the local cluster started", e);
            }
        }
    }

    /** The client connected to the members (usable for any Hazelcast API). */
    public HazelcastInstance client() {
        return client;
    }

    /** The member JVMs, in start order (kill one to see the cluster carry on). */
    public List<ChildProcess> members() {
        return List.copyOf(members);
    }

    /** The cluster's name (unique per local cluster). */
    public String name() {
        return name;
    }

    /** The executor threads of each member. */
    public int threadsPerMember() {
        return threadsPerMember;
    }

    @Override
    public void close() {
        try {
            client.shutdown();
        } finally {
            for (ChildProcess m : members) {
                m.kill();
            }
            for (ChildProcess m : members) {
                try {
                    m.join(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
