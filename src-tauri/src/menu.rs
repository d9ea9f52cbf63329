//! The window's menu bar. Menu items only emit events; the UI runs the matching flow so that
//! its progress and errors show in one place.

use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Runtime};

const IMPORT_BILL: &str = "import-bill";

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let import_bill = MenuItemBuilder::with_id(IMPORT_BILL, "导入账单… Import bill…")
        .accelerator("CmdOrCtrl+I")
        .build(app)?;
    let file = SubmenuBuilder::new(app, "文件 File")
        .item(&import_bill)
        .separator()
        .quit()
        .build()?;
    let edit = SubmenuBuilder::new(app, "编辑 Edit")
        .copy()
        .paste()
        .select_all()
        .build()?;
    MenuBuilder::new(app).items(&[&file, &edit]).build()
}

pub fn handle<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    if event.id() == IMPORT_BILL {
        if let Err(error) = app.emit(IMPORT_BILL, ()) {
            tracing::warn!(%error, "could not tell the window to import a bill");
        }
    }
}
