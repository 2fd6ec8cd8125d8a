import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GcpProfile } from "../../data/profiles/gcp";
import { sundayTwoAmLocal } from "../../data/naming/gcp";

/**
 * Flags: IAM database authentication and the connection/lock/checkpoint logging CIS asks for;
 * pgaudit on (`cloudsql.enable_pgaudit`) recording DDL and role/privilege changes, and every DDL
 * statement in the PostgreSQL log (`log_statement = ddl`); Cloud Logging receives both (pgaudit's as
 * data-access audit logs). `CREATE EXTENSION pgaudit` in the database is the migrator's first step;
 * `log_min_duration_statement = -1` because statement text can carry personal data (CIS 6.2.7).
 * pg_partman, pgcrypto, pg_stat_statements and uuid-ossp need no flag on Cloud SQL (CREATE EXTENSION
 * by the cloudsqlsuperuser role); partition maintenance is run by the scheduler, not pg_partman's
 * background worker, so no bgw flag is set.
 */
export function databaseFlags(maxConnections: number): { name: string; value: string }[] {
    return [
        { name: "cloudsql.iam_authentication", value: "on" },
        { name: "log_checkpoints", value: "on" },
        { name: "log_connections", value: "on" },
        { name: "log_disconnections", value: "on" },
        { name: "log_lock_waits", value: "on" },
        { name: "log_temp_files", value: "0" },
        { name: "log_min_duration_statement", value: "-1" },
        { name: "log_min_error_statement", value: "error" },
        { name: "max_connections", value: String(maxConnections) },
        { name: "cloudsql.enable_pgaudit", value: "on" },
        { name: "pgaudit.log", value: "ddl,role" },
        { name: "pgaudit.log_parameter", value: "off" },
        { name: "log_statement", value: "ddl" },
    ];
}

export interface DatabaseArgs {
    readonly instanceName: string;
    readonly region: string;
    readonly networkId: pulumi.Input<string>;
    readonly allocatedIpRange: pulumi.Input<string>;
    readonly keyId: pulumi.Input<string>;
    readonly sql: GcpProfile["sql"];
    /** Where backups are stored and the warm cross-region replica runs (seed 001 §4.1, §8). */
    readonly dr?: { readonly region: string; readonly instanceName: string; readonly keyId: pulumi.Input<string>; readonly provider: gcp.Provider };
    readonly databaseName: string;
    readonly users: readonly { readonly name: string; readonly password: pulumi.Input<string> }[];
    readonly protect: boolean;
    readonly labels: Readonly<Record<string, string>>;
    readonly provider: gcp.Provider;
    /** Grants and peering the instance must wait for (CMEK grant, Private Service Access). */
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * Cloud SQL for PostgreSQL 16: regional HA primary with private IP only, TLS required, daily backups
 * + 7-day PITR stored in the DR region, CMEK, deletion protection; read replicas in the primary region;
 * a cross-region replica in the DR region (warm, promoted manually in a DR).
 */
export class Database extends pulumi.ComponentResource {
    readonly primary: gcp.sql.DatabaseInstance;
    readonly privateIp: pulumi.Output<string>;
    readonly connectionName: pulumi.Output<string>;
    readonly readReplicas: gcp.sql.DatabaseInstance[];
    readonly drReplica?: gcp.sql.DatabaseInstance;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:Database", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const stateful = { ...child, protect: args.protect, dependsOn: args.dependsOn };
        const ipConfiguration = {
            ipv4Enabled: false,
            privateNetwork: args.networkId,
            allocatedIpRange: args.allocatedIpRange,
            sslMode: "ENCRYPTED_ONLY",
            enablePrivatePathForGoogleCloudServices: false,
        };
        const common = (region: string) => ({
            tier: args.sql.tier,
            edition: "ENTERPRISE",
            diskType: "PD_SSD",
            diskSize: args.sql.diskSizeGb,
            diskAutoresize: true,
            diskAutoresizeLimit: args.sql.diskAutoresizeLimitGb,
            databaseFlags: databaseFlags(args.sql.maxConnections),
            ipConfiguration,
            maintenanceWindow: { ...sundayTwoAmLocal(region), updateTrack: "stable" },
            insightsConfig: { queryInsightsEnabled: true, queryStringLength: 1024, recordApplicationTags: true, recordClientAddress: false },
            deletionProtectionEnabled: args.protect,
            userLabels: args.labels,
        });
        this.primary = new gcp.sql.DatabaseInstance(
            `${name}-primary`,
            {
                name: args.instanceName,
                region: args.region,
                databaseVersion: "POSTGRES_16",
                encryptionKeyName: args.keyId,
                deletionProtection: args.protect,
                settings: {
                    ...common(args.region),
                    availabilityType: "REGIONAL",
                    backupConfiguration: {
                        enabled: true,
                        pointInTimeRecoveryEnabled: true,
                        transactionLogRetentionDays: args.sql.pitrDays,
                        backupRetentionSettings: { retainedBackups: args.sql.retainedBackups, retentionUnit: "COUNT" },
                        startTime: "21:00",
                        location: args.dr?.region ?? args.region,
                    },
                    retainBackupsOnDelete: true,
                    finalBackupConfig: { enabled: true, retentionDays: 30 },
                },
            },
            stateful,
        );
        this.privateIp = this.primary.privateIpAddress;
        this.connectionName = this.primary.connectionName;

        this.readReplicas = Array.from({ length: args.sql.readReplicas }, (_, i) =>
            new gcp.sql.DatabaseInstance(
                `${name}-read-${i + 1}`,
                {
                    name: `${args.instanceName}-read-${i + 1}`,
                    region: args.region,
                    databaseVersion: "POSTGRES_16",
                    masterInstanceName: this.primary.name,
                    replicaConfiguration: { failoverTarget: false },
                    encryptionKeyName: args.keyId,
                    deletionProtection: args.protect,
                    settings: { ...common(args.region), availabilityType: "ZONAL" },
                },
                stateful,
            ),
        );
        if (args.dr) {
            // HA in the DR region too: once promoted it is the primary and must meet the same SLO.
            this.drReplica = new gcp.sql.DatabaseInstance(
                `${name}-dr`,
                {
                    name: args.dr.instanceName,
                    region: args.dr.region,
                    databaseVersion: "POSTGRES_16",
                    masterInstanceName: this.primary.name,
                    replicaConfiguration: { failoverTarget: false },
                    encryptionKeyName: args.dr.keyId,
                    deletionProtection: args.protect,
                    settings: { ...common(args.dr.region), availabilityType: "REGIONAL" },
                },
                { ...stateful, provider: args.dr.provider },
            );
        }
        const db = new gcp.sql.Database(
            `${name}-db`,
            { name: args.databaseName, instance: this.primary.name, charset: "UTF8", collation: "en_US.UTF8", deletionPolicy: "ABANDON" },
            { ...child, protect: args.protect },
        );
        for (const u of args.users) {
            new gcp.sql.User(
                `${name}-user-${u.name.replace(/_/g, "-")}`,
                { name: u.name, instance: this.primary.name, type: "BUILT_IN", password: u.password, deletionPolicy: "ABANDON" },
                { ...child, dependsOn: [db] },
            );
        }
        this.registerOutputs({ privateIp: this.privateIp, connectionName: this.connectionName });
    }
}
