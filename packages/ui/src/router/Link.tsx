import type { ComponentChildren, CSSProperties } from 'preact';
import { isModifiedClick, navigate } from './location.js';

interface LinkProps {
  to: string;
  children: ComponentChildren;
  class?: string;
  style?: CSSProperties;
  title?: string;
  'aria-current'?: 'page';
}

/** An ordinary link (keyboard, middle-click, copy link all work) that navigates in-app. */
export function Link({ to, children, ...rest }: LinkProps) {
  const onClick = (event: MouseEvent): void => {
    if (isModifiedClick(event)) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
