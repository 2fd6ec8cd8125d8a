import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { cloudRunServices } from "../../data/catalog";
import { activeCatalog } from "../../data/catalog/synthetic";
import { CloudRunRole, CloudRunServiceCard } from "../../data/catalog/types";
import { accountIdOf, peerAccountId, unitOf } from "../../data/naming/gcp";
import { arr, obj } from "./util";

/**
 * Issue 15, "no internal service invokable by an identity the card does not name": every Cloud Run
 * service that is not the public API (ingress `load-balancer` in its card) keeps IAM invocation on,
 * and the members of its invoker bindings are exactly the identities its card implies — Pub/Sub's
 * push identity for a role that consumes subjects, and the service account of each `inbound` caller
 * of that role — never allUsers, allAuthenticatedUsers, a user, group, domain, principal set or an
 * account the card does not name. Cards are data; a service no card describes fails too.
 */

const RUN = "gcp:cloudrunv2/service:Service";
/** Service-level IAM resources of Cloud Run (v2 and v1). */
const iamTypes = /^gcp:cloudrunv2\/serviceIam(Member|Binding|Policy):|^gcp:cloudrun\/iam(Member|Binding|Policy):/;
/** Roles that carry `run.routes.invoke` on a service. */
export const invokingRoles: ReadonlySet<string> = new Set(["roles/run.invoker", "roles/run.servicesInvoker", "roles/run.developer", "roles/run.admin", "roles/owner", "roles/editor"]);

/** The account ids a role's card names as its invokers (pure). */
export function namedInvokers(card: CloudRunServiceCard, role: CloudRunRole): string[] {
    const unit = unitOf(card.service);
    return [...(role.consumes.length > 0 ? [accountIdOf(unit, "pubsub-push")] : []), ...card.inbound.filter((i) => i.role === role.name).map((i) => peerAccountId(i.service))].sort();
}

/** The card and role behind a Cloud Run service name (`notification-api-internal`). */
function roleOf(cards: readonly CloudRunServiceCard[], serviceName: string): { card: CloudRunServiceCard; role: CloudRunRole } | undefined {
    for (const card of cards) {
        const role = card.roles.find((r) => `${unitOf(card.service)}-${r.name}` === serviceName);
        if (role) {
            return { card, role };
        }
    }
    return undefined;
}

/** (role, member) pairs an IAM resource grants. */
function grants(r: PolicyResource): { role: string; member: string }[] {
    const p = r.props;
    if (typeof p.policyData === "string") {
        let data: unknown;
        try {
            data = JSON.parse(p.policyData);
        } catch {
            data = {};
        }
        return arr(obj(data).bindings).flatMap((b) => arr(obj(b).members).map((m) => ({ role: String(obj(b).role), member: String(m) })));
    }
    return [p.member, ...arr(p.members)].filter((m) => typeof m === "string" && m !== "").map((m) => ({ role: String(p.role), member: String(m) }));
}

/** The account id of a `serviceAccount:<id>@<project>.iam.gserviceaccount.com` member; undefined for anything else. */
export function accountIdOfMember(member: string): string | undefined {
    return /^serviceAccount:([a-z][a-z0-9-]{4,28}[a-z0-9])@[a-z][a-z0-9-]*\.iam\.gserviceaccount\.com$/.exec(member)?.[1];
}

export const cloudRunInvokers: StackValidationPolicy = {
    name: "gcp-cloud-run-invokers",
    description:
        "Every internal Cloud Run service (all but the card's load-balancer API) keeps IAM invocation on, and its invokers are exactly the identities its card names: Pub/Sub push for consumers, the `inbound` callers' service accounts for the peers' entry (issue 15).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const cards = cloudRunServices(activeCatalog());
        const iam = args.resources.filter((r) => iamTypes.test(r.type));
        for (const svc of args.resources.filter((r) => r.type === RUN)) {
            const name = String(svc.props.name ?? "");
            const found = roleOf(cards, name);
            if (!found) {
                report(`Cloud Run service "${name}" is described by no card: nothing names who may invoke it`, svc.urn);
                continue;
            }
            const { card, role } = found;
            if (role.ingress === "load-balancer") {
                // The public API: reachable only through the external load balancer (gcp-cloud-run-ingress).
                continue;
            }
            if (svc.props.invokerIamDisabled === true) {
                report(`Cloud Run service "${name}" (${card.service}/${role.name}) turns the IAM invoker check off: anyone who reaches it may invoke it`, svc.urn);
            }
            const expected = namedInvokers(card, role);
            const granted = iam
                .filter((b) => b.props.name === name || String(b.props.service ?? "") === name)
                .flatMap(grants)
                .filter((g) => invokingRoles.has(g.role));
            const ids = new Set<string>();
            for (const g of granted) {
                const id = accountIdOfMember(g.member);
                if (id === undefined || !expected.includes(id)) {
                    report(`Cloud Run service "${name}" (${card.service}/${role.name}) is invokable by ${g.member} (${g.role}), which its card does not name; named: ${expected.join(", ") || "none"}`, svc.urn);
                } else {
                    ids.add(id);
                }
            }
            const missing = expected.filter((id) => !ids.has(id));
            if (missing.length > 0) {
                report(`Cloud Run service "${name}" (${card.service}/${role.name}) does not admit ${missing.join(", ")}, which its card names as invokers`, svc.urn);
            }
        }
    },
};

export const cloudRunInvokerPolicies: StackValidationPolicy[] = [cloudRunInvokers];
