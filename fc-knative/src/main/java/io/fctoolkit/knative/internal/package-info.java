/**
 * Implementation of the Knative platform: the object builders shared by the renderer and the
 * platform (Service, traffic, KafkaSource, KafkaSink, Sequence), the ledgers kept in annotations,
 * and the Kubernetes calls with their error mapping. Not an API.
 */
package io.fctoolkit.knative.internal;
