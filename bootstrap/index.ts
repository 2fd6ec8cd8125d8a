import { main } from "./program";

// The bootstrap program (bootstrap/Pulumi.yaml): an admin runs it once per stack of the main program,
// by hand, before that stack's first pipeline run. See program.ts and the README ("Where pulumi runs").
export = main;
