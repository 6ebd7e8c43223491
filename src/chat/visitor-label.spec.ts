import { visitorLabel } from './visitor-label';

describe('visitorLabel', () => {
  const id = '3f9a2c71-0b4e-4d2a-9c1e-5a6b7c8d9e0f';

  it('keeps the name the visitor gave', () => {
    expect(visitorLabel({ id, name: 'Ana Lima', email: 'ana@example.com' })).toBe('Ana Lima');
  });

  it('uses the email when the visitor gave no name', () => {
    expect(visitorLabel({ id, email: 'Ana@Example.com' })).toBe('ana@example.com');
  });

  it('labels an anonymous visitor with a short suffix of their id, the same every time', () => {
    expect(visitorLabel({ id })).toBe('Web chat visitor #3F9A2C');
    expect(visitorLabel({ id, name: '  ' })).toBe(visitorLabel({ id }));
    expect(visitorLabel({ id: 'ab12cd34-0000-4000-8000-000000000000' })).toBe('Web chat visitor #AB12CD');
  });
});
