/**
 * SWIM membership with Lifeguard, sans-IO: {@link io.corrosion.gossip.membership.Membership} (the rules:
 * incarnations, suspicion, refutation, dissemination, push-pull, joining through seeds, reconnecting to dead
 * members) and {@link io.corrosion.gossip.membership.Prober} (the failure detector: probes, indirect probes,
 * nacks, local health awareness). Defaults and formulas follow hashicorp/memberlist.
 */
package io.corrosion.gossip.membership;
