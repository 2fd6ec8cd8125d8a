import { Constraint, constraint, mapTest, stringTest, Test } from "./model";

/**
 * Kubernetes' own validation (k8s.io/apimachinery/pkg/util/validation): names, label keys and
 * values, port names. Shared by the Kubernetes table and by AWS node-group labels and taints.
 */

export const K8S_NAMES = "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/";
export const K8S_LABELS = "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set";
export const K8S_ANNOTATIONS = "https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set";
export const K8S_PORT_NAME = "https://github.com/kubernetes/apimachinery/blob/master/pkg/util/validation/validation.go (IsValidPortName)";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** RFC 1123 label: ≤ 63, lowercase alphanumerics and '-', alphanumeric at both ends. */
export const dns1123Label = (max = 63) => stringTest({ max, pattern: DNS1123_LABEL, chars: "a DNS-1123 label (lowercase letters, digits, '-')" });
/** RFC 1123 subdomain: ≤ 253, labels joined by '.'. */
export const dns1123Subdomain = (max = 253) => stringTest({ max, pattern: DNS1123_SUBDOMAIN, chars: "a DNS-1123 subdomain (lowercase letters, digits, '-', '.')" });
/** RFC 1035 label (Service names): a letter first. */
export const dns1035Label = (max = 63) => stringTest({ max, pattern: DNS1035_LABEL, chars: "a DNS-1035 label (a lowercase letter first, then letters, digits, '-')" });
/** RBAC names: any path segment (no '/', no '%', not '.' or '..'). */
export const pathSegment: Test = stringTest({
    max: 253,
    forbid: [
        [/[/%]/, "no '/' or '%'"],
        [/^\.\.?$/, "not '.' or '..'"],
    ],
});

/** A qualified name: optional DNS-subdomain prefix ≤ 253 and '/', then a name ≤ 63 `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`. */
export const k8sLabelKey: Test = (v) => {
    if (typeof v !== "string") {
        return undefined;
    }
    const slash = v.indexOf("/");
    const prefix = slash >= 0 ? v.slice(0, slash) : undefined;
    const name = slash >= 0 ? v.slice(slash + 1) : v;
    if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
        return "a prefix that is a DNS-1123 subdomain of at most 253 characters";
    }
    if (name.length === 0 || name.length > 63) {
        return "a name part of 1–63 characters";
    }
    return QUALIFIED_NAME.test(name) ? undefined : `a name part of letters, digits, '-', '_', '.', alphanumeric at both ends (${QUALIFIED_NAME.source})`;
};

/** Label values: empty, or ≤ 63 of the qualified-name characters. */
export const k8sLabelValue: Test = (v) => {
    if (typeof v !== "string" || v === "") {
        return undefined;
    }
    if (v.length > 63) {
        return "at most 63 characters";
    }
    return QUALIFIED_NAME.test(v) ? undefined : `letters, digits, '-', '_', '.', alphanumeric at both ends (${QUALIFIED_NAME.source})`;
};

const labelsTest = mapTest({ maxEntries: Number.MAX_SAFE_INTEGER, key: k8sLabelKey, value: k8sLabelValue, label: "label" });
const annotationKeysTest = mapTest({ maxEntries: Number.MAX_SAFE_INTEGER, key: k8sLabelKey, label: "annotation" });

export function k8sLabelsAt(path: string, source = K8S_LABELS): Constraint {
    return constraint("k8s-labels", path, labelsTest, source);
}

export function k8sAnnotationKeysAt(path: string): Constraint {
    return constraint("k8s-labels", path, annotationKeysTest, K8S_ANNOTATIONS);
}

const IANA_CHARS = /^[-a-z0-9]+$/;
const HAS_LETTER = /[a-z]/;

/**
 * IANA_SVC_NAME (a container port's name): 1–15 characters, lowercase alphanumerics and '-', at
 * least one letter, no '--', no '-' at either end.
 */
export const ianaServiceName: Test = (v) => {
    if (typeof v !== "string") {
        return undefined;
    }
    if (v.length < 1 || v.length > 15) {
        return "an IANA_SVC_NAME of 1–15 characters";
    }
    if (!IANA_CHARS.test(v)) {
        return "an IANA_SVC_NAME: lowercase letters, digits and '-' only";
    }
    if (!HAS_LETTER.test(v)) {
        return "an IANA_SVC_NAME with at least one letter";
    }
    if (v.includes("--")) {
        return "an IANA_SVC_NAME without '--'";
    }
    return v.startsWith("-") || v.endsWith("-") ? "an IANA_SVC_NAME not starting or ending with '-'" : undefined;
};

/** A port given as a number 1–65535 or by an IANA_SVC_NAME (probe ports, targetPort). */
export const portNumberOrName: Test = (v) => {
    if (typeof v === "number") {
        return Number.isInteger(v) && v >= 1 && v <= 65535 ? undefined : "1–65535";
    }
    return ianaServiceName(v, {}, {});
};
