import { ResourceValidationPolicy } from "@pulumi/policy";
import { streamAdminUser, subjectPrefixOf } from "../../data/broker";
import { arr, obj } from "./util";

/**
 * Least privilege between services (issue 11 item 4): each service reaches only its own subjects,
 * streams and cache keys. The broker rules read the NATS release's server config (the accounts
 * block of the official chart's `config.merge`); the cache rules read the ElastiCache users and
 * replication groups.
 */

/** Publish subjects no principal may hold: everything, the whole JetStream API, stream deletion and purge. */
const forbiddenForAll = [/^>$/, /^\$JS\.>$/, /^\$JS\.API\.>$/, /^\$JS\.API\.\*$/, /^\$JS\.API\.STREAM\.(DELETE|PURGE)(\.|$)/, /^\$JS\.API\.STREAM\.[*>]/];
/** Only the stream-admin creates or updates streams. */
const streamManagement = /^\$JS\.API\.STREAM\.(CREATE|UPDATE)(\.|$)/;
/** Subjects that are not the service's own events: the JetStream API and acks, and reply inboxes. */
const infrastructure = /^(\$JS\.|_INBOX)/;

/** The principal behind a NATS user: `assignment-service-a` → `assignment-service` (users come in rotation pairs). */
export function principalOf(user: string): string {
    return user.replace(/-[ab]$/, "");
}

/** Problems of one NATS user's permissions; pure. */
export function brokerUserProblems(user: Record<string, unknown>): string[] {
    const name = String(user.user ?? user.nkey ?? "?");
    const perms = obj(user.permissions);
    if (Object.keys(perms).length === 0) {
        return [`user ${name} has no permissions block (it may publish and subscribe to everything)`];
    }
    const principal = principalOf(name);
    const publish = arr(obj(perms.publish).allow).map(String);
    const subscribe = arr(obj(perms.subscribe).allow).map(String);
    const problems: string[] = [];
    if (publish.length === 0) {
        problems.push(`user ${name} has no publish allow list (the default is everything)`);
    }
    if (subscribe.length === 0) {
        problems.push(`user ${name} has no subscribe allow list (the default is everything)`);
    }
    for (const s of publish) {
        if (forbiddenForAll.some((re) => re.test(s))) {
            problems.push(`user ${name} may publish ${s}`);
        } else if (streamManagement.test(s) && principal !== streamAdminUser) {
            problems.push(`user ${name} may publish ${s}: stream management is the stream-admin's, not a service's`);
        } else if (!infrastructure.test(s) && principal !== streamAdminUser && !s.startsWith(`${subjectPrefixOf(principal)}.`)) {
            problems.push(`user ${name} may publish ${s}, outside its service's prefix ${subjectPrefixOf(principal)}.`);
        }
    }
    for (const s of subscribe) {
        if (s === ">" || s === "_INBOX.>" || s.startsWith("$JS.")) {
            problems.push(`user ${name} may subscribe to ${s}${s === "_INBOX.>" ? " (every client's replies)" : ""}`);
        }
    }
    return problems;
}

/** The NATS chart's release: its server accounts and TLS settings. */
function natsValues(props: Record<string, unknown>): Record<string, unknown> | undefined {
    return props.chart === "nats" ? obj(props.values) : undefined;
}

export const brokerPermissionsScoped: ResourceValidationPolicy = {
    name: "least-privilege/broker-scoped",
    description:
        "Every NATS user has explicit publish and subscribe allow lists; none may publish `>` or `$JS.API.>`, delete or purge a stream, or (unless it is the stream-admin) create or update one; a service publishes only under its own prefix; no shared `_INBOX.>`.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const values = args.type === "kubernetes:helm.sh/v3:Release" ? natsValues(args.props) : undefined;
        if (!values) {
            return;
        }
        const config = obj(values.config);
        const accounts = obj(obj(config.merge).accounts);
        const top = arr(obj(obj(config.merge).authorization).users);
        if (top.length > 0) {
            report(`NATS release "${args.name}" defines users outside accounts (global authorization): put each in an account with permissions`);
        }
        for (const [account, a] of Object.entries(accounts)) {
            if (account === "SYS") {
                continue;
            }
            for (const u of arr(obj(a).users).map(obj)) {
                for (const p of brokerUserProblems(u)) {
                    report(`NATS release "${args.name}" account ${account}: ${p}`);
                }
            }
        }
    },
};

export const brokerTls: ResourceValidationPolicy = {
    name: "least-privilege/broker-tls",
    description: "NATS takes client connections over TLS with verified client certificates, and routes between servers over TLS.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const values = args.type === "kubernetes:helm.sh/v3:Release" ? natsValues(args.props) : undefined;
        if (!values) {
            return;
        }
        const config = obj(values.config);
        const client = obj(obj(config.nats).tls);
        if (client.enabled !== true) {
            report(`NATS release "${args.name}" accepts plaintext clients (config.nats.tls.enabled)`);
        } else if (obj(client.merge).verify !== true) {
            report(`NATS release "${args.name}" does not verify client certificates (config.nats.tls.merge.verify)`);
        }
        const cluster = obj(config.cluster);
        if (cluster.enabled === true && obj(cluster.tls).enabled !== true) {
            report(`NATS release "${args.name}" routes between servers in plaintext (config.cluster.tls.enabled)`);
        }
    },
};

/** Problems of one ElastiCache user's access string; pure. */
export function cacheUserProblems(userName: string, accessString: string): string[] {
    const tokens = accessString.trim().split(/\s+/);
    const on = tokens.includes("on");
    if (userName === "default") {
        return on ? [`the default user is on ("${accessString}"): every group's default user must be off`] : [];
    }
    const problems: string[] = [];
    const broad = tokens.filter((t) => t === "~*" || t === "allkeys" || t === "+@all" || t === "allcommands" || t === "&*" || t === "allchannels" || t === "%R~*" || t === "%W~*" || t === "%RW~*");
    if (broad.length > 0) {
        problems.push(`user ${userName} holds ${broad.join(" ")}`);
    }
    const prefix = `${subjectPrefixOf(userName)}:`;
    const keyPatterns = tokens.filter((t) => /^(%[RW]+)?~/.test(t)).map((t) => t.replace(/^(%[RW]+)?~/, ""));
    if (on && keyPatterns.length === 0) {
        problems.push(`user ${userName} names no key pattern`);
    }
    for (const k of keyPatterns.filter((k) => k !== "*" && !k.startsWith(prefix))) {
        problems.push(`user ${userName} reaches keys ${k}, outside its prefix ${prefix}*`);
    }
    for (const c of tokens.filter((t) => t.startsWith("&") && t !== "&*").map((t) => t.slice(1))) {
        if (!c.startsWith(prefix)) {
            problems.push(`user ${userName} reaches channels ${c}, outside its prefix ${prefix}*`);
        }
    }
    return problems;
}

export const cacheUsersScoped: ResourceValidationPolicy = {
    name: "least-privilege/cache-users-scoped",
    description: "ElastiCache users: none holds `~*`, `+@all` or all channels; each reaches only its service's key prefix; the default user is off.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "aws:elasticache/user:User") {
            return;
        }
        for (const p of cacheUserProblems(String(args.props.userName ?? ""), String(args.props.accessString ?? ""))) {
            report(`ElastiCache user "${args.name}": ${p}`);
        }
    },
};

export const cacheRbac: ResourceValidationPolicy = {
    name: "least-privilege/cache-rbac",
    description: "Redis replication groups authenticate with RBAC user groups (a user per service), not one shared AUTH token.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "aws:elasticache/replicationGroup:ReplicationGroup") {
            return;
        }
        if (arr(args.props.userGroupIds).length === 0) {
            report(`Redis "${args.name}" has no RBAC user group: every client would share one credential`);
        }
        if (typeof args.props.authToken === "string" && args.props.authToken.length > 0) {
            report(`Redis "${args.name}" still has a shared AUTH token`);
        }
    },
};

export const leastPrivilegePolicies = [brokerPermissionsScoped, brokerTls, cacheUsersScoped, cacheRbac];
