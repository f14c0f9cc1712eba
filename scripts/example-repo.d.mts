export declare const EXAMPLE_DIR: string;
export declare function makeExampleRepo(
  dir: string,
  opts?: {
    git?: boolean;
    user?: string;
    email?: string;
    env?: NodeJS.ProcessEnv;
    config?: Record<string, string>;
    beforeCommit?: (dir: string) => void;
  },
): string;
