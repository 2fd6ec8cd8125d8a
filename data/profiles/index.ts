import { Environment } from "../catalog/types";

/**
 * Per-environment settings shared by both clouds. Sizing lives in typed profiles in code (this file
 * and its cloud-specific siblings `aws.ts` and `gcp.ts`), never in stack files: a stack selects an
 * environment and the environment's profile decides replicas, tiers, retention and protection.
 */
export interface EnvironmentProfile {
    readonly environment: Environment;
    /**
     * Stateful resources (databases, caches with persistence, buckets, keys, secrets, volumes) get
     * provider-side deletion protection and Pulumi `protect`. Off in dev only, so dev can be torn down.
     */
    readonly protectState: boolean;
    /** Days of automated backups / point-in-time recovery. */
    readonly backupRetentionDays: number;
    /** Days logs (flow logs, control-plane logs) are kept. */
    readonly logRetentionDays: number;
    /** KMS key deletion window in days (7 is the AWS minimum; 30 the maximum). */
    readonly kmsDeletionWindowDays: number;
}

export const environmentProfiles: Readonly<Record<Environment, EnvironmentProfile>> = {
    dev: { environment: "dev", protectState: false, backupRetentionDays: 7, logRetentionDays: 14, kmsDeletionWindowDays: 7 },
    staging: { environment: "staging", protectState: true, backupRetentionDays: 7, logRetentionDays: 30, kmsDeletionWindowDays: 30 },
    prod: { environment: "prod", protectState: true, backupRetentionDays: 35, logRetentionDays: 365, kmsDeletionWindowDays: 30 },
};
