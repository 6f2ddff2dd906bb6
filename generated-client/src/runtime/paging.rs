//! List operations as streams: pages fetched lazily, one request per page as the stream is
//! polled, ending after the last page; an error is yielded once and ends the stream.

use std::future::Future;

use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};

/// Pages of a cursor-paged list (Feishu): the next page's token comes with each page, and the
/// list ends when `has_more` is false or the token is missing or empty.
///
/// `fetch(request, cursor)` sends one page (with `cursor` when there is one); `next(page)` says
/// `(has_more, next_token)`.
pub fn cursor_pages<R, T, E, F, Fut>(request: R, fetch: F, next: fn(&T) -> (bool, Option<String>)) -> impl Stream<Item = Result<T, E>> + Send + 'static
where
    R: Clone + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
    F: Fn(R, Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, E>> + Send + 'static,
{
    stream::unfold(Some((request, fetch, None::<String>)), move |state| async move {
        let (request, fetch, cursor) = state?;
        match fetch(request.clone(), cursor).await {
            Ok(page) => {
                let (more, token) = next(&page);
                let following = match token.filter(|t| !t.is_empty()) {
                    Some(t) if more => Some((request, fetch, Some(t))),
                    _ => None,
                };
                Some((Ok(page), following))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
}

/// Pages of a numbered list (Authing): pages 1, 2, … until a page is empty or the items seen
/// reach the total the pages report.
///
/// `fetch(request, page)` sends page `page`; `count(page)` says `(items on it, total)`.
pub fn numbered_pages<R, T, E, F, Fut>(request: R, first: i64, fetch: F, count: fn(&T) -> (usize, Option<i64>)) -> impl Stream<Item = Result<T, E>> + Send + 'static
where
    R: Clone + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
    F: Fn(R, i64) -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, E>> + Send + 'static,
{
    stream::unfold(Some((request, fetch, first, 0usize)), move |state| async move {
        let (request, fetch, page, seen) = state?;
        match fetch(request.clone(), page).await {
            Ok(result) => {
                let (on_page, total) = count(&result);
                let seen = seen + on_page;
                let done = on_page == 0 || total.is_some_and(|t| seen as i64 >= t);
                Some((Ok(result), (!done).then_some((request, fetch, page + 1, seen))))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
}

/// The items of every page, in order.
pub fn items<S, T, I, E>(pages: S, items_of: fn(T) -> Vec<I>) -> impl Stream<Item = Result<I, E>> + Send + 'static
where
    S: Stream<Item = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    I: Send + 'static,
    E: Send + 'static,
{
    pages.map_ok(move |page| stream::iter(items_of(page).into_iter().map(Ok))).try_flatten().boxed()
}
