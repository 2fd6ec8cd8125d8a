import { K8sServiceCard } from "./types";

/**
 * Features whose value operations provide (a vendor credential, another team's token): each is a
 * stack switch, off by default. While a switch is off, the secrets it owns are created without a
 * value and read optionally, and the feature's flags stay off, so every pod starts on an empty
 * account. Turning it on declares that operations have put the value: the secret becomes a required
 * reference and the flags turn on. Pure data; no Pulumi imports.
 */
export interface OperationsFeature {
    /** Key under the stack config `learning-platform:features`. */
    readonly name: FeatureName;
    readonly description: string;
    /** Card secret keys whose value operations put into the secret store. */
    readonly secrets: readonly string[];
    /** ConfigMap flags the switch drives (set on every card that reads one of `secrets`), value when off / on. */
    readonly flags: Readonly<Record<string, { readonly off: string; readonly on: string }>>;
    /** Flags set only where the card's config already names them (per-service feature flags). */
    readonly cardFlags: Readonly<Record<string, { readonly off: string; readonly on: string }>>;
    /** What operations do before turning the switch on. */
    readonly operations: string;
}

export const featureNames = ["aiGateway"] as const;
export type FeatureName = (typeof featureNames)[number];
export type FeatureSwitches = Readonly<Record<FeatureName, boolean>>;

export const operationsFeatures: readonly OperationsFeature[] = [
    {
        name: "aiGateway",
        description: "AI features through the ai-gateway-service (another team's service and token)",
        secrets: ["AI_GATEWAY_TOKEN"],
        flags: { AI_GATEWAY_ENABLED: { off: "false", on: "true" } },
        cardFlags: { FEATURE_AI_SUGGEST: { off: "off", on: "on" } },
        operations: "put the token the AI gateway team issues into each region's `<env>/<service>/AI_GATEWAY_TOKEN` Secrets Manager secret",
    },
];

/** The stack config path of a feature's switch, as findings and the README name it. */
export function switchOf(name: FeatureName): string {
    return `learning-platform:features.${name}`;
}

/** The feature owning a card secret key, if operations provide it. */
export function featureOfSecret(key: string): OperationsFeature | undefined {
    return operationsFeatures.find((f) => f.secrets.includes(key));
}

/** Per card: which secret keys are read optionally (switch off) and the flag values the switches set. */
export interface FeatureState {
    /** Secret keys awaiting operations: not required at start. */
    readonly optionalSecrets: readonly string[];
    /** Secret keys operations have provided (switch on): required like any other. */
    readonly providedSecrets: readonly string[];
    /** ConfigMap entries the switches set (override the card's config). */
    readonly flags: Readonly<Record<string, string>>;
}

export function featureState(card: Pick<K8sServiceCard, "secrets" | "config">, switches: FeatureSwitches): FeatureState {
    const optionalSecrets: string[] = [];
    const providedSecrets: string[] = [];
    const flags: Record<string, string> = {};
    for (const f of operationsFeatures) {
        const used = card.secrets.filter((k) => f.secrets.includes(k));
        if (used.length === 0) {
            continue;
        }
        const on = switches[f.name];
        (on ? providedSecrets : optionalSecrets).push(...used);
        for (const [k, v] of Object.entries(f.flags)) {
            flags[k] = on ? v.on : v.off;
        }
        for (const [k, v] of Object.entries(f.cardFlags)) {
            if (k in card.config) {
                flags[k] = on ? v.on : v.off;
            }
        }
    }
    return { optionalSecrets, providedSecrets, flags };
}

export const allFeaturesOff: FeatureSwitches = { aiGateway: false };
