import { ResourceValidationPolicy } from "@pulumi/policy";
import { violations } from "../cloud-limits/check";
import { Family, families } from "../cloud-limits/model";

/**
 * The clouds' own rules, checked in the plan (issue 9): names, enumerations, numeric ranges, tags
 * and labels, Kubernetes names and ports, as the APIs and provider schemas enforce them. One
 * mandatory policy per constraint family; the table is policy/cloud-limits/.
 */

const descriptions: Readonly<Record<Family, string>> = {
    name: "Physical names (given, or Pulumi's `<logical>-<random>`) fit the cloud's length and characters; Kubernetes object names fit their kind's rule.",
    value: "Other strings the cloud limits (descriptions, keys, passwords, CIDRs, formats) fit their length and characters.",
    enum: "Enumerated fields hold one of the values the API accepts.",
    range: "Numeric fields, durations, CIDR sizes and list lengths are within the API's range.",
    "aws-tags": "AWS tags: at most 50, keys 1–128 without the reserved `aws:` prefix, values at most 256, allowed characters.",
    "gcp-labels": "GCP labels: at most 64, keys 1–63 starting with a lowercase letter, values at most 63, lowercase letters, digits, `_` and `-`.",
    "k8s-labels": "Kubernetes label keys (prefix ≤ 253 / name ≤ 63) and values (≤ 63), and annotation keys.",
    "k8s-container": "Container names are DNS-1123 labels.",
    "k8s-port": "Port names: IANA_SVC_NAME for container ports (≤ 15, a letter, no `--`), DNS labels for Service ports; named or numeric port references valid.",
};

function policyFor(family: Family): ResourceValidationPolicy {
    return {
        name: `cloud-limits/${family}`,
        description: descriptions[family],
        enforcementLevel: "mandatory",
        validateResource: (args, report) => {
            for (const v of violations(args.type, args.name, args.props, family, args.provider?.props)) {
                report(v.message);
            }
        },
    };
}

export const cloudLimitPolicies: ResourceValidationPolicy[] = families.map(policyFor);
