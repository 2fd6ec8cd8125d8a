/**
 * Registered inputs are plain JSON of unknown shape. `Node` lets a test walk them by property
 * (`deployment.spec.template.spec`) without `any`; `items` turns a JSON array into Nodes.
 */
export interface Node {
    readonly [key: string]: Node;
}

export function node(value: unknown): Node {
    return (value ?? {}) as Node;
}

export function items(value: unknown): Node[] {
    return Array.isArray(value) ? value.map(node) : [];
}
