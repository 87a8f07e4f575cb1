/**
 * Serializable functional interfaces: a lambda or method reference written where one of these is
 * expected is compiled as serializable, so it can run in another process with what it captures.
 */
package dev.multitask.function;
