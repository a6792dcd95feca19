/**
 * Progressive rollouts on the local runtime: {@link io.fctoolkit.runtime.rollout.GateCheck} judges
 * a step's samples, {@link io.fctoolkit.runtime.rollout.RolloutMachine} turns the verdicts into a
 * decision, and {@link io.fctoolkit.runtime.rollout.RolloutController} moves the alias, keeps the
 * state and reports each decision. It knows the runtime only through {@link
 * io.fctoolkit.runtime.rollout.RolloutTarget} and {@link
 * io.fctoolkit.runtime.rollout.RolloutStore}, so the decisions are tested without instances.
 */
package io.fctoolkit.runtime.rollout;
