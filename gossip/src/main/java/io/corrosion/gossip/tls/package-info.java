/**
 * Mutual TLS for the gossip transport: {@link io.corrosion.gossip.tls.TlsMaterial} (cluster CA, node
 * certificate and key, from PEM files or memory) and a development CA, {@link io.corrosion.gossip.tls.ClusterCa},
 * that issues EC P-256 node certificates with IP and DNS subject alternative names. Knows nothing of netty;
 * the QUIC transport turns this material into its TLS contexts.
 */
package io.corrosion.gossip.tls;
