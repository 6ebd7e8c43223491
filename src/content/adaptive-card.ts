import type { AdaptiveCard } from './content.schema';
import type { OptionSource } from './content-options';

// Reading an Adaptive Card (https://adaptivecards.io/explorer/) for channels that cannot show
// one: its text blocks, facts as "Title: value", images and links as URLs, and its actions as
// options. The card is loosely validated, so every field is read defensively.

export type CardPiece =
  | { kind: 'text'; text: string }
  | { kind: 'link'; label?: string; url: string }
  | { kind: 'option'; option: OptionSource };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
const httpUrl = (value: unknown): string | undefined => {
  const url = text(value);
  return url && /^https?:\/\/\S+$/i.test(url) ? url : undefined;
};

export function adaptiveCardPieces(card: AdaptiveCard | Json): CardPiece[] {
  return [...elementsPieces(card.body), ...actionsPieces(card.actions)];
}

export function adaptiveCardOptions(card: AdaptiveCard | Json): OptionSource[] {
  return adaptiveCardPieces(card).flatMap((piece) => (piece.kind === 'option' ? [piece.option] : []));
}

// What a Submit/Execute action answers with: its data as sent by the channel, as one string.
export function submitPayload(action: Json): string | undefined {
  const { data } = action;
  if (typeof data === 'string' && data !== '') return data;
  if (data !== undefined && data !== null && !(isObject(data) && Object.keys(data).length === 0)) return JSON.stringify(data);
  return text(action.verb);
}

// "1.5" ≤ "1.5"; a card without a version is assumed to be 1.0 (the oldest).
export function adaptiveCardFits(card: AdaptiveCard, maxVersion: string | undefined): boolean {
  if (!maxVersion) return true;
  const [major = 1, minor = 0] = (card.version ?? '1.0').split('.').map(Number);
  const [maxMajor = 1, maxMinor = 0] = maxVersion.split('.').map(Number);
  return major < maxMajor || (major === maxMajor && minor <= maxMinor);
}

function elementsPieces(value: unknown): CardPiece[] {
  return objects(value).flatMap(elementPieces);
}

function elementPieces(element: Json): CardPiece[] {
  switch (element.type) {
    case 'TextBlock': {
      const value = text(element.text);
      return value ? [{ kind: 'text', text: value }] : [];
    }
    case 'RichTextBlock': {
      const value = (Array.isArray(element.inlines) ? element.inlines : [])
        .map((inline: unknown) => (typeof inline === 'string' ? inline : isObject(inline) ? (text(inline.text) ?? '') : ''))
        .join('')
        .trim();
      return value ? [{ kind: 'text', text: value }] : [];
    }
    case 'FactSet':
      return objects(element.facts).flatMap((fact): CardPiece[] => {
        const title = text(fact.title);
        const value = text(fact.value);
        if (!title && !value) return [];
        return [{ kind: 'text', text: title && value ? `${title}: ${value}` : (title ?? value ?? '') }];
      });
    case 'Image': {
      const url = httpUrl(element.url);
      return url ? [{ kind: 'link', label: text(element.altText), url }] : [];
    }
    case 'ImageSet':
      return elementsPieces(element.images);
    case 'ColumnSet':
      return elementsPieces(element.columns);
    case 'ActionSet':
      return actionsPieces(element.actions);
    case 'Table':
      return objects(element.rows).flatMap((row): CardPiece[] => {
        const cells = objects(row.cells).map((cell) =>
          elementsPieces(cell.items)
            .flatMap((piece) => (piece.kind === 'text' ? [piece.text] : []))
            .join(' '),
        );
        const line = cells.join(' | ').trim();
        return line && line !== '|' ? [{ kind: 'text', text: line }] : [];
      });
    case 'Input.ChoiceSet': {
      // In text the choices are what the customer can answer with.
      const label = text(element.label);
      const choices = objects(element.choices).flatMap((choice): CardPiece[] => {
        const title = text(choice.title);
        const payload = typeof choice.value === 'string' && choice.value !== '' ? choice.value : title;
        return title && payload ? [{ kind: 'option', option: { title, payload } }] : [];
      });
      return [...(label ? [{ kind: 'text', text: label } as const] : []), ...choices];
    }
    default: {
      // Containers (Container, Column, unknown ones) hold their children in items; inputs only
      // have a label worth showing.
      const label = typeof element.type === 'string' && element.type.startsWith('Input.') ? text(element.label) : undefined;
      return [...(label ? [{ kind: 'text', text: label } as const] : []), ...elementsPieces(element.items)];
    }
  }
}

function actionsPieces(value: unknown): CardPiece[] {
  return objects(value).flatMap(actionPieces);
}

function actionPieces(action: Json): CardPiece[] {
  const title = text(action.title);
  switch (action.type) {
    case 'Action.OpenUrl': {
      const url = httpUrl(action.url);
      return url ? [{ kind: 'option', option: { title: title ?? url, payload: url, url } }] : [];
    }
    case 'Action.Submit':
    case 'Action.Execute': {
      const payload = submitPayload(action) ?? title;
      return payload ? [{ kind: 'option', option: { title: title ?? payload, payload } }] : [];
    }
    case 'Action.ShowCard': {
      // The hidden card is shown inline: text has no "show more".
      const card = isObject(action.card) ? adaptiveCardPieces(action.card) : [];
      return [...(title ? [{ kind: 'text', text: title } as const] : []), ...card];
    }
    default:
      // Action.ToggleVisibility and unknown actions do nothing a customer could answer.
      return [];
  }
}
