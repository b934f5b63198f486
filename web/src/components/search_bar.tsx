import { t } from '../common/i18n';
import { replaceQuery } from '../common/router';

type Props = {
  /** The input's id and test id; the button's test id is `${id}-submit`. */
  id: string;
  label: string;
  placeholder: string;
  text: string;
  onText: (text: string) => void;
};

/** The search line of a list page: submitting puts the text in the address (`?q=`), so a search is a link. */
export function SearchBar({ id, label, placeholder, text, onText }: Props) {
  return (
    <form
      class="search-bar"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        replaceQuery({ q: text.trim() || undefined });
      }}
    >
      <label for={id} class="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder={placeholder}
        autocomplete="off"
        onInput={(e) => onText(e.currentTarget.value)}
        data-testid={id}
      />
      <button type="submit" class="button button-primary" data-testid={`${id}-submit`}>
        {t('persons.search')}
      </button>
    </form>
  );
}
