import { Environment, K8sServiceCard, TopologyCard } from "./catalog/types";
import { FeatureSwitches, operationsFeatures } from "./catalog/features";

/**
 * The in-cluster flag service (seeds/000 §7 "OpenFeature + Flagd"): pods have no internet egress, so
 * a SaaS flag vendor cannot be reached; flagd runs on every EKS cluster and serves the flags the EKS
 * cards read. Pure data; no Pulumi imports.
 */

/** Namespace, Service name and ports of flagd (its defaults: 8013 evaluation gRPC/HTTP, 8014 health + metrics). */
export const flagd = {
    namespace: "flags",
    serviceName: "flagd",
    evaluationPort: 8013,
    managementPort: 8014,
    /** Where flagd reads the flag file (`--uri file:…`), mounted from the ConfigMap. */
    mountPath: "/etc/flagd",
    fileName: "flags.json",
    /** Requests/limits per pod: flagd holds a few flags in memory. */
    resources: { cpuRequest: "50m", cpuLimit: "250m", memoryRequest: "64Mi", memoryLimit: "128Mi" },
    /** Replicas: ≥ 2 where a zone loss must not take the flags away. */
    replicas: { dev: 1, staging: 2, prod: 3 } satisfies Record<Environment, number>,
} as const;

/** In-cluster DNS name the services' ConfigMaps carry as FLAGD_HOST. */
export const flagdHost = `${flagd.serviceName}.${flagd.namespace}.svc.cluster.local`;

/** ConfigMap entries pointing a service at flagd (the OpenFeature flagd provider reads FLAGD_HOST/FLAGD_PORT). */
export function flagdClientConfigFor(service: { readonly host: string; readonly port: number }): Record<string, string> {
    return { FLAGD_HOST: service.host, FLAGD_PORT: String(service.port), OPENFEATURE_PROVIDER: "flagd" };
}

/** One boolean flag of the flag file. */
export interface FlagDefinition {
    /** The flag key: the card's config key (`FEATURE_AI_SUGGEST`), which also holds the start-up default. */
    readonly key: string;
    /** Services whose cards read it. */
    readonly services: readonly string[];
    /** Variant served when no targeting rule matches. */
    readonly defaultVariant: "on" | "off";
    /** The operations switch forcing it off while off (data/catalog/features.ts), if any. */
    readonly forcedOffBy?: string;
}

/** A card's config keys that are feature flags (`FEATURE_*`). */
export const isFlagKey = (key: string): boolean => key.startsWith("FEATURE_");

/**
 * The flags the EKS cards read, with the environment's default variant: the card's value, forced off
 * while the feature switch that owns the flag is off (the same rule `featureState` applies to the
 * ConfigMap, so the start-up default and flagd always agree).
 */
export function flagDefinitions(cards: readonly TopologyCard[], environment: Environment, switches: FeatureSwitches): FlagDefinition[] {
    const byKey = new Map<string, { services: string[]; values: string[]; forcedOffBy?: string }>();
    for (const card of cards.filter((c): c is K8sServiceCard => c.platform === "eks")) {
        for (const [key, v] of Object.entries(card.config).filter(([k]) => isFlagKey(k))) {
            const value = typeof v === "string" ? v : v[environment];
            const owner = operationsFeatures.find((f) => key in f.cardFlags && card.secrets.some((s) => f.secrets.includes(s)));
            const forced = owner !== undefined && !switches[owner.name];
            const entry = byKey.get(key) ?? { services: [], values: [] };
            entry.services.push(card.service);
            entry.values.push(forced ? "off" : value);
            byKey.set(key, { ...entry, forcedOffBy: forced ? owner.name : entry.forcedOffBy });
        }
    }
    return [...byKey.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, e]) => ({
            key,
            services: e.services,
            // One flag for every reader: on only where every card reading it has it on.
            defaultVariant: e.values.every((v) => v === "on") ? "on" : "off",
            ...(e.forcedOffBy ? { forcedOffBy: e.forcedOffBy } : {}),
        }));
}

/** flagd's flag file (https://flagd.dev/reference/flag-definitions/): boolean flags, no targeting yet. */
export interface FlagdDocument {
    readonly flags: Readonly<Record<string, { readonly state: "ENABLED"; readonly variants: { readonly on: true; readonly off: false }; readonly defaultVariant: "on" | "off" }>>;
}

export function flagdDocument(defs: readonly FlagDefinition[]): FlagdDocument {
    return {
        flags: Object.fromEntries(defs.map((d) => [d.key, { state: "ENABLED" as const, variants: { on: true as const, off: false as const }, defaultVariant: d.defaultVariant }])),
    };
}
