/**
 * How values cross a process boundary: the {@link dev.multitask.ipc.Serializer} SPI and its
 * default, and {@link dev.multitask.ipc.SerializationException}, which names the class (and the
 * path to it) that could not be sent. Channels between a parent and its workers are
 * authenticated before anything is deserialized; their implementation is internal.
 */
package dev.multitask.ipc;
