/**
 * The JetStream streams of the EKS event bus and what each service may do on the broker (issue 11
 * item 4). Pure data and pure functions: the NATS component renders them into server
 * permissions, the policy rules check the rendered permissions against the same prefixes.
 */
import { K8sServiceCard } from "./catalog/types";

/** One JetStream stream; subjects never overlap between streams (JetStream refuses that). */
export interface StreamSpec {
    readonly name: string;
    readonly subjects: readonly string[];
    /** The service publishing into it, or `external` (a service of another domain, outside this program). */
    readonly publisher: string;
    /** Days a message is kept. */
    readonly maxAgeDays: number;
}

/**
 * The streams the program declares. One stream per publishing domain (`<domain>.>`); the
 * statements progress ingests from delivery and assessment have their own stream (seed 003 §5:
 * `delivery/assessment ──▶ NATS ──▶ progress-ingest`), named by progress's scaling trigger.
 */
export const streams: readonly StreamSpec[] = [
    { name: "ASSIGNMENT", subjects: ["assignment.>"], publisher: "assignment-service", maxAgeDays: 7 },
    { name: "PROGRESS", subjects: ["progress.>"], publisher: "progress-service", maxAgeDays: 7 },
    { name: "PROGRESS_STATEMENTS", subjects: ["delivery.statement.emitted.v1", "assessment.attempt.submitted.v1"], publisher: "external", maxAgeDays: 7 },
    { name: "AUTHORING", subjects: ["authoring.>"], publisher: "authoring-service", maxAgeDays: 7 },
    { name: "CONTENT", subjects: ["content.>"], publisher: "external", maxAgeDays: 7 },
    { name: "CATALOG", subjects: ["catalog.>"], publisher: "external", maxAgeDays: 7 },
];

/** A service's own subject prefix: `assignment-service` publishes only under `assignment.`. */
export function subjectPrefixOf(service: string): string {
    return service.replace(/-service$/, "");
}

/** Does a NATS subject (or subject pattern) match another, token by token (`*` one token, `>` the rest)? */
export function subjectMatches(pattern: string, subject: string): boolean {
    const p = pattern.split(".");
    const s = subject.split(".");
    for (let i = 0; i < p.length; i++) {
        if (p[i] === ">") {
            return s.length > i;
        }
        if (i >= s.length || (p[i] !== "*" && p[i] !== s[i])) {
            return false;
        }
    }
    return p.length === s.length;
}

/** The stream holding a subject, if any. */
export function streamOf(subject: string, all: readonly StreamSpec[] = streams): StreamSpec | undefined {
    return all.find((st) => st.subjects.some((p) => subjectMatches(p, subject)));
}

/** The inbox prefix a service's client uses (`NATS_INBOX_PREFIX`): replies to one service are not readable by another. */
export function inboxPrefixOf(service: string): string {
    return `_INBOX_${subjectPrefixOf(service)}`;
}

export interface NatsPermissions {
    readonly publish: readonly string[];
    readonly subscribe: readonly string[];
}

/**
 * What one service may do on the broker, least privilege:
 * - publish its own events (`card.data.publishes`, all under its prefix) and read its own streams' info;
 * - on the streams holding what it consumes (and those its scaling triggers name): stream info,
 *   consumer create/info/delete (`$JS.API.CONSUMER.*.<stream>.>`), pull (`CONSUMER.MSG.NEXT.<stream>.*`),
 *   acks (`$JS.ACK.<stream>.>`);
 * - replies only on its own inbox prefix.
 * No `$JS.API.>`, no STREAM.CREATE/UPDATE/DELETE/PURGE: stream management is the stream-admin user's.
 */
export function natsPermissionsOf(card: K8sServiceCard, all: readonly StreamSpec[] = streams): NatsPermissions {
    const own = new Set<string>();
    for (const subject of card.data.publishes) {
        const st = streamOf(subject, all);
        if (st) {
            own.add(st.name);
        }
    }
    const consumed = new Set<string>();
    for (const subject of card.data.consumes) {
        const st = streamOf(subject, all);
        if (st) {
            consumed.add(st.name);
        }
    }
    for (const role of card.roles) {
        for (const t of role.scaling) {
            if (t.kind === "nats-jetstream") {
                consumed.add(t.stream);
            }
        }
    }
    const infoOf = [...new Set([...own, ...consumed])].sort();
    const consumeFrom = [...consumed].sort();
    const inbox = inboxPrefixOf(card.service);
    return {
        publish: [
            ...new Set(card.data.publishes),
            ...infoOf.map((s) => `$JS.API.STREAM.INFO.${s}`),
            ...consumeFrom.flatMap((s) => [`$JS.API.CONSUMER.*.${s}.>`, `$JS.API.CONSUMER.DURABLE.CREATE.${s}.*`, `$JS.API.CONSUMER.MSG.NEXT.${s}.*`, `$JS.ACK.${s}.>`]),
        ],
        subscribe: [...new Set(card.data.consumes), `${inbox}.>`],
    };
}

/** The user that creates and updates the declared streams (operations, not services): no delete, no purge. */
export function streamAdminPermissions(all: readonly StreamSpec[] = streams): NatsPermissions {
    const names = all.map((s) => s.name);
    return {
        publish: ["$JS.API.INFO", "$JS.API.STREAM.NAMES", "$JS.API.STREAM.LIST", ...names.flatMap((s) => [`$JS.API.STREAM.CREATE.${s}`, `$JS.API.STREAM.UPDATE.${s}`, `$JS.API.STREAM.INFO.${s}`])],
        subscribe: [`${inboxPrefixOf("stream-admin")}.>`],
    };
}

/** Name of the broker user that manages the declared streams. */
export const streamAdminUser = "stream-admin";
