import { Environment, K8sRole, K8sServiceCard } from "../catalog/types";
import { standardTags } from "./tags";

/**
 * Names and labels of a service's Kubernetes objects. Object names follow the service documents
 * (seeds/000 §2: `assignment-api`, `assignment-config`, `assignment-secrets`): the service name
 * without its `-service` suffix, then the role or purpose.
 */

/** `assignment-service` → `assignment`. */
export function shortName(card: Pick<K8sServiceCard, "service">): string {
    return card.service.replace(/-service$/, "");
}

/** The Kubernetes name of a role's workload (and of its Service, autoscaler/HPA and PDB). */
export function workloadName(card: Pick<K8sServiceCard, "service">, role: Pick<K8sRole, "name">): string {
    return `${shortName(card)}-${role.name}`;
}

export const configMapName = (card: Pick<K8sServiceCard, "service">): string => `${shortName(card)}-config`;
export const externalSecretName = (card: Pick<K8sServiceCard, "service">): string => `${shortName(card)}-secrets`;
/** The Secret the ExternalSecret writes; pods read it through envFrom. */
export const secretName = externalSecretName;
/** ExternalSecret and Secret of the values operations provide while their feature is off (read optionally). */
export const awaitingSecretName = (card: Pick<K8sServiceCard, "service">): string => `${shortName(card)}-secrets-awaiting`;
export const secretStoreName = (card: Pick<K8sServiceCard, "service">): string => `${shortName(card)}-secrets-manager`;

export interface LabelContext {
    readonly environment: Environment;
    readonly owner: string;
}

/** Labels on every object of a service: the four required tags plus the app.kubernetes.io set. */
export function serviceLabels(card: K8sServiceCard, ctx: LabelContext): Record<string, string> {
    return {
        ...standardTags({ environment: ctx.environment, owner: ctx.owner, service: card.service }),
        "app.kubernetes.io/name": card.service,
        "app.kubernetes.io/part-of": "learning-platform",
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/** Labels of one role's objects and pods. */
export function roleLabels(card: K8sServiceCard, role: K8sRole, ctx: LabelContext): Record<string, string> {
    return { ...serviceLabels(card, ctx), "app.kubernetes.io/component": role.name, "app.kubernetes.io/instance": workloadName(card, role) };
}

/** The immutable selector of a role's pods (a subset of `roleLabels`, stable across releases). */
export function roleSelector(card: K8sServiceCard, role: K8sRole): Record<string, string> {
    return { "app.kubernetes.io/name": card.service, "app.kubernetes.io/component": role.name };
}

/** Selects every pod of the service (NetworkPolicies, the metrics Service). */
export function serviceSelector(card: K8sServiceCard): Record<string, string> {
    return { "app.kubernetes.io/name": card.service };
}
