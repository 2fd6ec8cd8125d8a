/**
 * Credential rotation the program schedules itself (issue 11 item 4): the broker and cache
 * passwords and the internal signing keys. Secrets Manager rotates only what a rotation Lambda
 * can change in place (the Aurora global primary's master password, see components/aws/rotation.ts);
 * NATS users live in the server's config and ElastiCache users in their API, both of which this
 * program owns, so it renews them on deploy when a rotation period has passed.
 */
import { Environment } from "./catalog/types";

/** Days between renewals of program-rotated credentials (NATS users, ElastiCache users, signing keys). */
export const credentialRotationDays: Readonly<Record<Environment, number>> = { dev: 30, staging: 90, prod: 90 };

/** Days between Secrets Manager rotations of the Aurora global primary's master password. */
export const masterPasswordRotationDays = 30;

/**
 * Two credential slots per principal, renewed on alternate periods: slot `a` takes a new value in
 * even periods, slot `b` in odd ones. The slot just renewed is the one handed to clients
 * (`current`); the other stays valid a full period, so a pod that has not restarted since the last
 * renewal keeps working. Values are the `keepers` of `random.RandomPassword`: a change renews it.
 */
export interface RotationSlots {
    readonly period: number;
    readonly a: string;
    readonly b: string;
    readonly current: "a" | "b";
}

export function rotationSlots(nowMs: number, intervalDays: number): RotationSlots {
    if (!Number.isInteger(intervalDays) || intervalDays < 1) {
        throw new Error(`rotation interval ${intervalDays}: a whole number of days ≥ 1`);
    }
    const period = Math.floor(nowMs / (intervalDays * 86_400_000));
    const even = period % 2 === 0;
    return { period, a: String(even ? period : period - 1), b: String(even ? period - 1 : period), current: even ? "a" : "b" };
}

/**
 * ConfigMap key carrying the rotation period a service's credentials belong to: a new period
 * changes the ConfigMap (so the pods roll and read the renewed values) and the ExternalSecrets'
 * `force-sync` annotation (so the Kubernetes Secrets are re-read first).
 */
export const rotationPeriodKey = "ROTATION_PERIOD";
