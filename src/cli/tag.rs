//! `newsgloss tag ID +x -y`: changes an article's own tags (its front matter `tags`), the same edit
//! the reader's `T` makes; the rest of the file is kept byte for byte.

use clap::Args;

use super::{Failure, Workspace};
use crate::article::clean::quoted;
use crate::article::retag::{changed_tags, retag_file};

#[derive(Debug, Args)]
pub struct TagArgs {
    /// The article id (as `list` shows it).
    #[arg(value_name = "ID")]
    pub id: String,
    /// `+TAG` (or `TAG`) adds a tag, `-TAG` takes it away.
    #[arg(required = true, value_name = "+TAG|-TAG", allow_hyphen_values = true)]
    pub changes: Vec<String>,
}

pub fn run(workspace: &Workspace, args: TagArgs) -> Result<(), Failure> {
    let (mut add, mut remove) = (Vec::new(), Vec::new());
    for change in &args.changes {
        let (list, tag) = match change.strip_prefix('-') {
            Some(tag) => (&mut remove, tag),
            None => (&mut add, change.strip_prefix('+').unwrap_or(change)),
        };
        let tag = crate::article::clean::clean_line(tag);
        if tag.is_empty() {
            return Err(Failure::BadInput(format!(
                "{} is not a tag: write +TAG to add one, -TAG to take one away",
                quoted(change)
            )));
        }
        list.push(tag);
    }
    let article = super::show::load(workspace, &args.id)?;
    let tags = changed_tags(&article.meta.tags, &add, &remove);
    let path = crate::content::path_of(&workspace.content_dir, &args.id)
        .ok_or_else(|| Failure::BadInput(format!("no article with id {}", quoted(&args.id))))?;
    let max = workspace.config.content.max_file_bytes;
    let now = retag_file(&path, &tags, max).map_err(|e| Failure::Failed(e.to_string()))?;
    let shown = match now.is_empty() {
        true => "none".to_owned(),
        false => now.join(", "),
    };
    println!(
        "tags of {}: {shown}",
        crate::article::clean::clean_line(&args.id)
    );
    Ok(())
}
