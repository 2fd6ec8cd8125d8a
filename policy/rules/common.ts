import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { sdkClassOf } from "../sdk-class";
import { requiredTagKeys } from "../../data/naming/tags";
import { ResidencyZone, regionsAllowed, residencyZones } from "../../data/regions";
import { podTemplateOf } from "./k8s";
import { arr, effectiveTags, obj, providerProp } from "./util";

/**
 * Rules that apply to every resource on every cloud.
 */

const taggableCache = new Map<string, boolean>();

/**
 * Does this resource type accept tags (AWS) or labels (GCP)? Decided from the provider SDK's own
 * class for the type token, so a new type is covered without a list to maintain.
 */
export function isTaggable(type: string): boolean {
    const cached = taggableCache.get(type);
    if (cached !== undefined) {
        return cached;
    }
    let result = false;
    const pkg = type.split(":")[0];
    if (pkg === "aws" || pkg === "gcp") {
        const ctor = sdkClassOf({ aws, gcp }, type);
        const field = pkg === "aws" ? '"tags"' : '"labels"';
        result = typeof ctor === "function" && ctor.toString().includes(`resourceInputs[${field}]`);
    } else if (type.startsWith("kubernetes:") && !type.startsWith("kubernetes:helm.sh/")) {
        result = true;
    }
    taggableCache.set(type, result);
    return result;
}

export const requiredTags: ResourceValidationPolicy = {
    name: "required-tags",
    description: `Every taggable or labelable resource carries ${requiredTagKeys.join(", ")} (directly or from the provider's defaults).`,
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!isTaggable(args.type)) {
            return;
        }
        const tags = effectiveTags(args);
        const missing = requiredTagKeys.filter((k) => !tags[k]);
        if (missing.length > 0) {
            report(`${args.type} "${args.name}" lacks tags/labels: ${missing.join(", ")}`);
        }
    },
};

/** Environment variable / config key names that hold credentials. */
export const secretNamePattern = /(PASSWORD|PASSWD|SECRET|TOKEN|CREDS|CREDENTIAL|PRIVATE_KEY|SIGNING_KEY|API_KEY|_URL$)/i;
/** A URL with an embedded user:password. */
const credentialUrl = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

function looksSecret(key: string, value: unknown): boolean {
    if (typeof value !== "string" || value === "") {
        return false;
    }
    if (credentialUrl.test(value)) {
        return true;
    }
    // A plain *_URL without credentials is configuration, not a secret.
    return secretNamePattern.test(key) && !/_URL$/i.test(key);
}

export const noPlaintextSecrets: ResourceValidationPolicy = {
    name: "no-plaintext-secrets",
    description:
        "Credentials never travel as plain configuration: no secret-named keys or credential URLs in ConfigMaps, " +
        "container env values or Cloud Run env values, and no Kubernetes Secret written by the program (External Secrets syncs them).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const p = args.props;
        if (args.type === "kubernetes:core/v1:ConfigMap") {
            for (const [k, v] of Object.entries(obj(p.data))) {
                if (looksSecret(k, v)) {
                    report(`ConfigMap "${args.name}" holds "${k}", which is a credential; use the service's ExternalSecret`);
                }
            }
        }
        if (args.type === "kubernetes:core/v1:Secret" && (Object.keys(obj(p.stringData)).length > 0 || Object.keys(obj(p.data)).length > 0)) {
            report(`Secret "${args.name}" is written by the program; secrets come from Secrets Manager through External Secrets`);
        }
        // One pod spec per workload (a CronJob's is under its jobTemplate), so one value is one finding.
        const pod = podTemplateOf(args.type, p)?.spec;
        for (const c of pod ? [...arr(pod.containers), ...arr(pod.initContainers)] : []) {
            for (const e of arr(obj(c).env)) {
                const env = obj(e);
                if (looksSecret(String(env.name), env.value)) {
                    report(`container env "${String(env.name)}" of "${args.name}" is a literal credential; use valueFrom.secretKeyRef`);
                }
            }
        }
        if (args.type === "gcp:cloudrunv2/service:Service") {
            for (const c of arr(obj(p.template).containers)) {
                for (const e of arr(obj(c).envs)) {
                    const env = obj(e);
                    if (looksSecret(String(env.name), env.value)) {
                        report(`Cloud Run env "${String(env.name)}" of "${args.name}" is a literal credential; use valueSource.secretKeyRef`);
                    }
                }
            }
        }
    },
};

/** The residency zone a stack declares, from the `residency` default tag/label on its providers. */
function zoneOfProviders(resources: readonly { type: string; props: Record<string, unknown> }[]): ResidencyZone | undefined {
    for (const r of resources) {
        if (!r.type.startsWith("pulumi:providers:")) {
            continue;
        }
        const tag = obj(obj(providerProp(r, "defaultTags")).tags).residency ?? obj(providerProp(r, "defaultLabels")).residency;
        if (typeof tag === "string" && (residencyZones as readonly string[]).includes(tag)) {
            return tag as ResidencyZone;
        }
    }
    return undefined;
}

export const dataResidency: StackValidationPolicy = {
    name: "data-residency",
    description:
        "In a stack whose residency zone is us, eu or me, every regional resource is in a region of that zone " +
        "(the zone is the `residency` default tag/label the stack puts on its providers).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const zone = zoneOfProviders(args.resources);
        if (!zone || zone === "global") {
            return;
        }
        for (const r of args.resources) {
            const t = r.type.replace(/^pulumi:providers:/, "");
            const cloud = t.startsWith("aws") ? "aws" : t.startsWith("gcp") ? "gcp" : undefined;
            if (!cloud) {
                continue;
            }
            const allowed = regionsAllowed(cloud, zone);
            const regions = new Set<string>();
            for (const key of ["region", "location"]) {
                const v = r.props[key];
                // Multi-regions and dual-regions (GCS "EU", "EUR4") are checked by their own rules.
                if (typeof v === "string" && /^[a-z]+-[a-z]+\d+(-[a-z])?$/.test(v)) {
                    regions.add(v.replace(/-[a-z]$/, ""));
                }
            }
            const providerRegion = r.provider?.props.region;
            if (typeof providerRegion === "string") {
                regions.add(providerRegion);
            }
            for (const region of regions) {
                if (!allowed.includes(region)) {
                    report(`${r.type} "${r.name}" is in ${region}, outside residency zone "${zone}" (allowed: ${allowed.join(", ")})`, r.urn);
                }
            }
        }
    },
};

export const commonPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [requiredTags, noPlaintextSecrets, dataResidency];
