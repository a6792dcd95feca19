package io.fctoolkit.runtime.kafka.internal;

/**
 * The two ports of an embedded single-node KRaft broker on 127.0.0.1.
 *
 * @param broker the client (PLAINTEXT) port, the one in the bootstrap address
 * @param controller the KRaft controller port
 */
public record BrokerPorts(int broker, int controller) {}
