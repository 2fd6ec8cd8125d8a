import { Environment, K8sServiceCard, PerEnv } from "./catalog/types";

/**
 * JetStream streams of the EKS services (seed 000 §9: JetStream replication counts in the RPO of
 * 5 min). One stream per publishing service holding the subjects its card publishes, plus each stream
 * a card's KEDA trigger names that no card publishes into (progress's PROGRESS_STATEMENTS: the
 * statements other teams' services publish and progress-ingest consumes). Pure data.
 */
export interface StreamSpec {
    /** JetStream stream name (upper case, no dots). */
    readonly name: string;
    readonly subjects: readonly string[];
    /** The service whose card names it (publisher, or the consumer whose trigger needs it). */
    readonly owner: string;
}

/** Per environment: replicas (3 = the server quorum in staging/prod), age and size caps. */
export interface StreamProfile {
    readonly replicas: number;
    /** Go duration: events are kept 7 days (consumers replay after an outage of up to a week). */
    readonly maxAge: string;
    /** Bytes per stream; Σ over streams must fit the JetStream file store (capacity/jetstream.ts). */
    readonly maxBytes: number;
    /** Duplicate-detection window for publishers' Nats-Msg-Id (outbox relays retry). */
    readonly duplicateWindow: string;
}

const GiB = 1024 ** 3;

export const streamProfiles: PerEnv<StreamProfile> = {
    dev: { replicas: 1, maxAge: "168h", maxBytes: 1 * GiB, duplicateWindow: "2m" },
    staging: { replicas: 3, maxAge: "168h", maxBytes: 3 * GiB, duplicateWindow: "2m" },
    prod: { replicas: 3, maxAge: "168h", maxBytes: 8 * GiB, duplicateWindow: "2m" },
};

/** Share of a server's JetStream volume the streams may fill (the rest: RAFT logs, compaction headroom). */
export const jetStreamStorageShare = 0.75;

/** `progress-service` → `PROGRESS`. */
export function streamNameOf(service: string): string {
    return service.replace(/-service$/, "").replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();
}

/** Every stream the cards need, in card order. */
export function streamsOf(cards: readonly K8sServiceCard[]): StreamSpec[] {
    const out: StreamSpec[] = [];
    for (const card of cards) {
        if (card.data.publishes.length > 0) {
            out.push({ name: streamNameOf(card.service), subjects: [...card.data.publishes], owner: card.service });
        }
    }
    for (const card of cards) {
        for (const role of card.roles) {
            for (const t of role.scaling) {
                if (t.kind === "nats-jetstream" && !out.some((s) => s.name === t.stream)) {
                    out.push({ name: t.stream, subjects: [...card.data.consumes], owner: card.service });
                }
            }
        }
    }
    return out;
}

/** Problems with a set of streams: a subject in two streams (JetStream refuses overlaps), an empty or bad name. */
export function validateStreams(streams: readonly StreamSpec[], environment: Environment): string[] {
    const problems: string[] = [];
    const seen = new Map<string, string>();
    for (const s of streams) {
        if (!/^[A-Z][A-Z0-9_]*$/.test(s.name)) {
            problems.push(`stream name ${s.name}: upper-case letters, digits and _ only`);
        }
        if (s.subjects.length === 0) {
            problems.push(`stream ${s.name} has no subjects`);
        }
        for (const subj of s.subjects) {
            const other = seen.get(subj);
            if (other && other !== s.name) {
                problems.push(`subject ${subj} is in streams ${other} and ${s.name}`);
            }
            seen.set(subj, s.name);
        }
    }
    if (environment !== "dev" && streamProfiles[environment].replicas < 3) {
        problems.push(`${environment}: streams need 3 replicas`);
    }
    return problems;
}
