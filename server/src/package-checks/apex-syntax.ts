/**
 * Parses Apex source with @apexdevtools/apex-parser (the ANTLR grammar that tracks the platform compiler)
 * and returns every lexer and parser error. Pure: source text in, problems out.
 */
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';

export type ApexSourceKind = 'class' | 'trigger';

export interface ApexSyntaxProblem {
    readonly line: number;
    /** 1-based, like editors show it (ANTLR reports 0-based columns). */
    readonly column: number;
    readonly message: string;
}

/** ANTLR lists every token it would have accepted; past a handful that hides the point of the message. */
function shortenExpectation(message: string): string {
    return message.replace(/expecting \{([^}]*)\}/, (whole, tokens: string) => {
        const alternatives = tokens.split(', ');
        return alternatives.length <= 8 ? whole : `expecting one of ${alternatives.length} tokens`;
    });
}

class CollectingErrorListener extends ApexErrorListener {
    readonly problems: ApexSyntaxProblem[] = [];

    apexSyntaxError(line: number, column: number, message: string): void {
        this.problems.push({ line, column: column + 1, message: shortenExpectation(message) });
    }
}

export function apexSourceKindOf(filePath: string): ApexSourceKind | undefined {
    if (filePath.endsWith('.cls')) return 'class';
    if (filePath.endsWith('.trigger')) return 'trigger';
    return undefined;
}

export function findApexSyntaxProblems(source: string, kind: ApexSourceKind): ApexSyntaxProblem[] {
    const listener = new CollectingErrorListener();
    const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
    if (kind === 'class') parser.compilationUnit();
    else parser.triggerUnit();
    return listener.problems;
}
