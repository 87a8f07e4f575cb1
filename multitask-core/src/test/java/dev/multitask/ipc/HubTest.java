package dev.multitask.ipc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.ipc.internal.Bytes;
import dev.multitask.ipc.internal.Channel;
import dev.multitask.ipc.internal.Hub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Nothing a peer sends is used before it proves it holds the worker's token. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HubTest {

    @Test
    void aPeerWithTheWrongTokenIsDroppedBeforeAnythingIsRead() throws Exception {
        Hub hub = Hub.get();
        Hub.Ticket ticket = hub.register();
        try (Channel c = Channel.connect(hub.socketPath())) {
            Bytes auth = Channel.message(32);
            byte[] wrong = ticket.token().clone();
            wrong[0] ^= 1;
            auth.write(wrong, 0, wrong.length);
            c.send(Hub.AUTH, ticket.id(), auth);
            assertThrows(IOException.class, c::receive, "the hub closes the connection");
        }
        assertFalse(ticket.connected().isDone());
        try (Channel c = Channel.connect(hub.socketPath())) {
            Bytes auth = Channel.message(32);
            auth.write(ticket.token(), 0, 32);
            c.send(Hub.AUTH, ticket.id(), auth);
            ticket.connected().get(10, TimeUnit.SECONDS).close();
        }
        assertTrue(ticket.connected().isDone());
    }

    @Test
    void theSocketDirectoryIsPrivateToTheUser() throws Exception {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(Hub.get().socketPath().getParent());
        assertTrue(perms.equals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE)), perms.toString());
    }
}
